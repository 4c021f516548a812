package dev.laurel.engine.json;

import dev.laurel.api.AuditEvent;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes an event as one line of LAUREL-compatible JSON (see {@code docs/format.md}), with
 * jackson-core's streaming generator.
 *
 * <p>Not thread-safe: reuses its buffers; one per pipeline thread.
 */
public final class EventEncoder {

    /** Writes {@code event} as JSON to {@code out}, without a trailing newline. */
    public void encode(AuditEvent event, OutputStream out) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }
}
