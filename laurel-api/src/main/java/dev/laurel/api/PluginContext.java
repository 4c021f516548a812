package dev.laurel.api;

import java.time.InstantSource;

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
}
