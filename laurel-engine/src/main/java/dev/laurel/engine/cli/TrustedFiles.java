package dev.laurel.engine.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The files that decide what laurel runs (its config, the plugins directory, each plugin's
 * directory and jars) must be root's alone when laurel runs with root's authority: started by
 * auditd as root, a config or jar that another user may change would let that user run code
 * with laurel's privileges (CAP_SYS_PTRACE at least).
 *
 * <p>A file passes when it is owned by root and neither its group nor others may write it; its
 * directory too, unless that directory is sticky (as {@code /tmp} is), where others cannot
 * replace a file they do not own.
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
     */
    static List<String> problems(Path config, Path pluginsDir) {
        List<String> problems = new ArrayList<>();
        if (config != null && Files.exists(config)) {
            check(config, "the config file", problems);
            Path dir = config.toAbsolutePath().getParent();
            if (dir != null) {
                check(dir, "the config file's directory", problems);
            }
        }
        if (pluginsDir != null && Files.isDirectory(pluginsDir)) {
            check(pluginsDir, "the plugins directory", problems);
            for (Path plugin : list(pluginsDir, problems)) {
                if (plugin.getFileName().toString().startsWith(".")) {
                    continue;
                }
                if (Files.isDirectory(plugin)) {
                    check(plugin, "a plugin directory", problems);
                    for (Path jar : list(plugin, problems)) {
                        if (jar.getFileName().toString().endsWith(".jar")) {
                            check(jar, "a plugin jar", problems);
                        }
                    }
                } else if (plugin.getFileName().toString().endsWith(".jar")) {
                    check(plugin, "a plugin jar", problems);
                }
            }
        }
        return problems;
    }

    private static List<Path> list(Path dir, List<String> problems) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().collect(Collectors.toList());
        } catch (IOException | UncheckedIOException e) {
            problems.add(dir + ": cannot list it to check its files: " + e);
            return List.of();
        }
    }

    private static void check(Path file, String what, List<String> problems) {
        int uid;
        int mode;
        try {
            uid = (Integer) Files.getAttribute(file, "unix:uid");
            mode = (Integer) Files.getAttribute(file, "unix:mode");
        } catch (NoSuchFileException gone) {
            return;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            problems.add(file + ": cannot read its owner and mode to check " + what + ": " + e);
            return;
        }
        String why = "; laurel runs with root's authority and would run what another user put there";
        if (uid != 0) {
            problems.add(file + ": " + what + " is owned by uid " + uid + ", not root" + why
                    + "; chown root " + file);
        }
        boolean directory = Files.isDirectory(file);
        if ((mode & (GROUP_WRITE | OTHERS_WRITE)) != 0 && !(directory && (mode & STICKY) != 0)) {
            problems.add(file + ": group or others may write " + what + " (mode "
                    + String.format("%04o", mode & 07777) + ")" + why + "; chmod go-w " + file);
        }
    }
}
