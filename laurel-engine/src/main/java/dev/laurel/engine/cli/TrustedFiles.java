package dev.laurel.engine.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The files that decide what laurel runs (its config, the plugins directory, each plugin's
 * directory and jars) must be root's alone when laurel runs with root's authority: started by
 * auditd as root, a config or jar that another user may change would let that user run code
 * with laurel's privileges (CAP_SYS_PTRACE at least).
 *
 * <p>A file passes when it is owned by root and neither its group nor others may write it; so
 * must every directory from {@code /} down to it, unless that directory is sticky (as
 * {@code /tmp} is), where others cannot replace a file they do not own, and every symbolic link
 * on the way must be root's, with the same checks for the path it leads to. Checked at start-up
 * and again at each SIGHUP reload: a file that was root's at start may not be any more.
 *
 * <pre>{@code
 * List<String> problems = TrustedFiles.problems(Path.of("/etc/laurel-java/laurel.yaml"), pluginsDir);
 * // ["/opt/laurel/plugins/rst/rst.jar: group or others may write it (mode 0666); chmod go-w ..."]
 * }</pre>
 */
final class TrustedFiles {
    private static final int GROUP_WRITE = 0020;
    private static final int OTHERS_WRITE = 0002;
    private static final int STICKY = 01000;
    /** As the kernel's MAXSYMLINKS: a loop of links ends the walk. */
    private static final int MAX_LINKS = 40;
    private static final String WHY = "; laurel runs with root's authority and would run what another user put there";

    private TrustedFiles() {
    }

    /**
     * Whether the check applies: laurel runs as root, or the launcher started it as root and
     * dropped to the config's {@code user:} ({@code LAUREL_STARTED_AS_ROOT=1}).
     */
    static boolean apply() {
        return "1".equals(System.getenv("LAUREL_STARTED_AS_ROOT")) || effectiveUid() == 0;
    }

    /** This process's effective uid: the owner of {@code /proc/self}; -1 if unknown. */
    static int effectiveUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }

    /**
     * Every reason not to trust {@code config} or the plugins under {@code pluginsDir} (either
     * may be null; files that do not exist are left to the config loader and plugin registry).
     * Every step to each file is checked, as OpenSSH checks the files it trusts: {@code /} and
     * each directory below it, each symbolic link on the way and the directory holding it, and
     * where the link leads; whoever may change any of them may change what laurel reads.
     */
    static List<String> problems(Path config, Path pluginsDir) {
        List<String> problems = new ArrayList<>();
        Set<Path> checked = new HashSet<>();
        if (config != null && Files.exists(config)) {
            checkPath(config, "the config file", "the config file's directory", problems, checked);
        }
        if (pluginsDir != null && Files.isDirectory(pluginsDir)) {
            checkPath(pluginsDir, "the plugins directory", "the plugins directory's parent", problems, checked);
            for (Path plugin : list(pluginsDir, problems)) {
                if (plugin.getFileName().toString().startsWith(".")) {
                    continue;
                }
                if (Files.isDirectory(plugin)) {
                    checkPath(plugin, "a plugin directory", "the plugins directory", problems, checked);
                    for (Path jar : list(plugin, problems)) {
                        if (jar.getFileName().toString().endsWith(".jar")) {
                            checkPath(jar, "a plugin jar", "a plugin directory", problems, checked);
                        }
                    }
                } else if (plugin.getFileName().toString().endsWith(".jar")) {
                    checkPath(plugin, "a plugin jar", "the plugins directory", problems, checked);
                }
            }
        }
        return problems;
    }

    /**
     * Walks to {@code path} one name at a time from {@code /}, following symbolic links by hand,
     * and checks each directory, link and the file reached; {@code checked} skips what an earlier
     * walk checked already.
     */
    private static void checkPath(Path path, String what, String directoryWhat, List<String> problems,
                                  Set<Path> checked) {
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            return;   // gone, or a dangling link: the loader reports it
        }
        Path abs = path.toAbsolutePath();
        Deque<Path> names = new ArrayDeque<>();
        push(names, abs);
        Path at = abs.getRoot();
        check(at, label(at, real, what, directoryWhat), problems, checked);
        int links = 0;
        while (!names.isEmpty()) {
            Path name = names.pop();
            if (name.toString().equals(".")) {
                continue;
            }
            if (name.toString().equals("..")) {
                at = at.getParent() == null ? at : at.getParent();
                continue;
            }
            Path next = at.resolve(name);
            if (Files.isSymbolicLink(next)) {
                checkLink(next, what, problems, checked);
                Path target;
                try {
                    target = Files.readSymbolicLink(next);
                } catch (IOException e) {
                    problems.add(next + ": cannot read the symbolic link on the way to " + what + ": " + e);
                    return;
                }
                if (++links > MAX_LINKS) {
                    problems.add(path + ": more than " + MAX_LINKS + " symbolic links on the way to " + what);
                    return;
                }
                push(names, target);
                if (target.isAbsolute()) {
                    at = target.getRoot();
                }
                continue;
            }
            check(next, label(next, real, what, directoryWhat), problems, checked);
            at = next;
        }
    }

    /** Puts the names of {@code path} in front of {@code names}, first name first. */
    private static void push(Deque<Path> names, Path path) {
        for (int i = path.getNameCount() - 1; i >= 0; i--) {
            names.push(path.getName(i));
        }
    }

    /** What {@code step} is on the way to {@code real}, for the message. */
    private static String label(Path step, Path real, String what, String directoryWhat) {
        if (step.equals(real)) {
            return what;
        }
        if (step.equals(real.getParent())) {
            return directoryWhat;
        }
        return (real.startsWith(step) ? "a directory above " : "a directory on the way to ") + what;
    }

    /** A symbolic link: whoever owns it may replace it in a sticky directory such as /tmp. */
    private static void checkLink(Path link, String what, List<String> problems, Set<Path> checked) {
        if (!checked.add(link)) {
            return;
        }
        try {
            int uid = (Integer) Files.getAttribute(link, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (uid != 0) {
                problems.add(link + ": a symbolic link on the way to " + what + " is owned by uid " + uid
                        + ", not root" + WHY + "; chown -h root " + link);
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            problems.add(link + ": cannot read its owner to check a symbolic link on the way to " + what + ": " + e);
        }
    }

    private static List<Path> list(Path dir, List<String> problems) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().collect(Collectors.toList());
        } catch (IOException | UncheckedIOException e) {
            problems.add(dir + ": cannot list it to check its files: " + e);
            return List.of();
        }
    }

    private static void check(Path file, String what, List<String> problems, Set<Path> checked) {
        if (!checked.add(file)) {
            return;
        }
        int uid;
        int mode;
        try {
            uid = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
            return;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            problems.add(file + ": cannot read its owner and mode to check " + what + ": " + e);
            return;
        }
        if (uid != 0) {
            problems.add(file + ": " + what + " is owned by uid " + uid + ", not root" + WHY
                    + "; chown root " + file);
        }
        boolean directory = Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS);
        if ((mode & (GROUP_WRITE | OTHERS_WRITE)) != 0 && !(directory && (mode & STICKY) != 0)) {
            problems.add(file + ": group or others may write " + what + " (mode "
                    + String.format("%04o", mode & 07777) + ")" + WHY + "; chmod go-w " + file);
        }
    }
}
