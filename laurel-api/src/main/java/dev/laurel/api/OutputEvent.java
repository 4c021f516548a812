package dev.laurel.api;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An event as handed to sinks: the event itself (read-only by contract) and its JSON encoding,
 * computed at most once however many sinks ask.
 */
public interface OutputEvent {

    /** The event. Sinks must not change it. */
    AuditEvent event();

    /** The event as one line of LAUREL-compatible JSON, UTF-8, without the newline. A copy. */
    byte[] json();

    /** Writes {@link #json()} to {@code out} without copying it. */
    void writeJsonTo(OutputStream out) throws IOException;
}
