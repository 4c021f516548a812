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
