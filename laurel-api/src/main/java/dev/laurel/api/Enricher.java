package dev.laurel.api;

/**
 * A stage of the chain that reads and changes events before the sinks see them.
 *
 * <p>Created configured by its {@link EnricherFactory}; the engine calls {@link #enrich} for
 * every event on one thread, in chain order, and closes it at shutdown (in reverse order). An
 * exception from {@code enrich} is logged and counted with the event's id; the event goes on
 * without this stage's changes completed.
 *
 * <pre>{@code
 * final class ShoutingComm implements Enricher {
 *     public void enrich(AuditEvent event) {
 *         Record sc = event.first(RecordType.SYSCALL);
 *         if (sc != null && sc.decoded("comm") != null) {
 *             sc.set("COMM_UPPER", Value.text(new String(sc.decoded("comm")).toUpperCase()));
 *         }
 *     }
 * }
 * }</pre>
 */
public interface Enricher extends AutoCloseable {

    /** Reads or changes one event. Called on the chain's thread only. */
    void enrich(AuditEvent event);

    /** Releases what the enricher holds. The default does nothing. */
    @Override
    default void close() throws Exception {
    }
}
