package dev.laurel.api;

import java.io.IOException;

/**
 * An output format: writes an event as one JSON value (one line, without the newline) that
 * sinks then send wherever they go. {@code laurel} (LAUREL's own dialect, the default), {@code ecs}
 * and {@code ocsf} are built in; an organization may add its own, such as Splunk CIM.
 *
 * <p>The engine encodes each event once per format in use, however many sinks use it, and hands
 * the bytes to those sinks through {@link OutputEvent#json()}. A format is created configured and
 * immutable; {@link #encode} is called on the chain's thread, one event at a time, after the
 * enrichers, for kept events and (for sinks that take them) dropped ones. It must not change the
 * event. What it throws costs that event in the sinks of this format, and is logged and counted.
 *
 * <pre>{@code
 * final class MinimalFormat implements Format {
 *     public void encode(AuditEvent event, EventJson out) {
 *         out.startObject();
 *         out.key("time");
 *         out.number(event.id().epochMillis());
 *         Record syscall = event.first(RecordType.SYSCALL);
 *         if (syscall != null) {
 *             int pid = syscall.indexOf("pid");
 *             if (pid >= 0) {
 *                 out.key("pid");
 *                 out.fieldValue(syscall, pid);     // 42, as the laurel format writes it
 *             }
 *         }
 *         out.endObject();
 *     }
 * }
 * }</pre>
 *
 * @since 1.1
 */
public interface Format extends AutoCloseable {

    /**
     * Writes {@code event} to {@code out} as one JSON value, usually an object. {@code out} is
     * empty when this is called; what is in it when this returns is the event's encoding.
     */
    void encode(AuditEvent event, EventJson out) throws IOException;

    /** Releases what the format holds. The default holds nothing. */
    @Override
    default void close() {
    }
}
