package dev.laurel.plugins.stream;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a pipe sink's command with none of laurel's capabilities. Run by the launcher as its
 * {@code user:}, laurel keeps CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH in its ambient set, which a
 * child would inherit (reading any file, attaching to any process); run as root, a child would
 * get every capability. So the command goes through {@code setpriv(1)}, which clears the
 * inheritable and ambient sets (and the bounding set where laurel may, which leaves even a root
 * child with none) and then runs it; argv and pid are the command's own, as setpriv execs it.
 * Without capabilities to lose (not root, all sets empty) the command is started as it is.
 *
 * <pre>{@code
 * List<String> argv = ChildCapabilities.of(Path.of("/proc/self/status")).argv(List.of("/usr/bin/logger"));
 * // [/usr/bin/setpriv, --inh-caps=-all, --ambient-caps=-all, --bounding-set=-all, --, /usr/bin/logger]
 * }</pre>
 */
record ChildCapabilities(boolean root, long inheritable, long permitted, long effective, long ambient) {
    /** CAP_SETPCAP: needed to shrink the bounding set. */
    private static final int CAP_SETPCAP = 8;

    /** Where setpriv is looked for after PATH (auditd starts laurel with an empty environment). */
    private static final List<String> SETPRIV = List.of("/usr/bin/setpriv", "/bin/setpriv");

    /** This process's uid and capability sets, from {@code status} ({@code /proc/self/status}). */
    static ChildCapabilities of(Path status) throws IOException {
        boolean root = false;
        long inh = 0;
        long prm = 0;
        long eff = 0;
        long amb = 0;
        for (String line : Files.readAllLines(status)) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String value = line.substring(colon + 1).trim();
            switch (line.substring(0, colon)) {
                case "Uid" -> root = value.split("\\s+")[1].equals("0");   // real, effective, ...
                case "CapInh" -> inh = Long.parseUnsignedLong(value, 16);
                case "CapPrm" -> prm = Long.parseUnsignedLong(value, 16);
                case "CapEff" -> eff = Long.parseUnsignedLong(value, 16);
                case "CapAmb" -> amb = Long.parseUnsignedLong(value, 16);
                default -> { }
            }
        }
        return new ChildCapabilities(root, inh, prm, eff, amb);
    }

    /** Whether a child started as it is would have capabilities. */
    boolean childWouldHaveAny() {
        return root || inheritable != 0 || permitted != 0 || ambient != 0;
    }

    /**
     * The argv that runs {@code command} without capabilities: {@code command} itself if there are
     * none to lose, else through setpriv; {@code setpriv} is its path, null if it is missing.
     */
    List<String> argv(List<String> command, String setpriv) {
        if (!childWouldHaveAny()) {
            return List.copyOf(command);
        }
        if (setpriv == null) {
            throw new IllegalStateException("setpriv is missing");
        }
        List<String> argv = new ArrayList<>(List.of(setpriv, "--inh-caps=-all", "--ambient-caps=-all"));
        if ((effective & (1L << CAP_SETPCAP)) != 0) {
            argv.add("--bounding-set=-all");
        }
        argv.add("--");
        argv.addAll(command);
        return List.copyOf(argv);
    }

    /** setpriv's path: in PATH, else where Debian puts it; null if there is none. */
    static String findSetpriv(String path) {
        List<String> candidates = new ArrayList<>();
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(dir + "/setpriv");
                }
            }
        }
        candidates.addAll(SETPRIV);
        for (String candidate : candidates) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }
}
