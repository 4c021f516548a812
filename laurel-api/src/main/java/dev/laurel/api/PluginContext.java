package dev.laurel.api;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Optional;

/**
 * What the engine offers plugins beyond their options. Later versions add capabilities as
 * default methods, so plugins built against this version keep working.
 */
public interface PluginContext {

    /**
     * A logger for this plugin's diagnostics. It goes to laurel's own log (stderr on a terminal,
     * syslog under auditd), never into the event stream.
     */
    System.Logger logger();

    /** The clock to use for anything time-based, so that tests can control it. */
    default InstantSource clock() {
        return InstantSource.system();
    }

    /**
     * Whether laurel only checks the config ({@code laurel --dry-run}): {@code create} should
     * then validate all it can without leaving a trace (a file sink checks that it could create
     * or append to its file, and creates nothing) and report what would fail as a
     * {@link ConfigException}. The plugin it returns is closed without being used.
     *
     * <pre>{@code
     * if (context.dryRun()) {
     *     if (!Files.isDirectory(dir)) throw new ConfigException("file", dir + " does not exist");
     *     return new MySink(path);             // not opened
     * }
     * }</pre>
     */
    default boolean dryRun() {
        return false;
    }

    /**
     * The account laurel runs as, from the config's {@code user:}, or {@code null} when it runs
     * as whoever started it. Files and directories a plugin writes to must belong to root, to
     * this account or to the process's own account, and not be writable by others.
     */
    default String user() {
        return null;
    }

    /**
     * The engine's process table. An engine that does not track processes (such as a test
     * harness) throws {@link UnsupportedOperationException}.
     */
    default ProcessTable processes() {
        throw new UnsupportedOperationException("this engine does not track processes");
    }

    /**
     * Where the proc file system is mounted, for plugins that read {@code /proc/PID/...}: the
     * config's top-level {@code proc-root} ({@code /proc} unless it says otherwise), so that one
     * key serves the engine's process table and every plugin. Empty when the config says
     * {@code proc-root: none}, e.g. when a log from another machine is converted, whose processes
     * are not this machine's: plugins then read no process files and say so where they report errors.
     *
     * <pre>{@code
     * Optional<Path> cgroup = context.procRoot().map(proc -> proc.resolve(pid + "/cgroup"));
     * }</pre>
     *
     * @since 1.0
     */
    default Optional<Path> procRoot() {
        return Optional.of(Path.of("/proc"));
    }
}
