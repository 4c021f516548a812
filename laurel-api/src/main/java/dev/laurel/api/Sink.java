package dev.laurel.api;

import java.io.IOException;

/**
 * The end of the chain: writes events somewhere (a file, syslog, a socket).
 *
 * <p>Every sink receives every kept event, in chain order, on the chain's thread. The engine
 * encodes each event to JSON once and shares the bytes among sinks ({@link OutputEvent#json()}).
 * {@link #flush()} is called when the input has gone idle, so buffered events reach their
 * destination within a bounded delay. A sink that throws is logged and counted; the others go on.
 *
 * <pre>{@code
 * final class StdoutSink implements Sink {
 *     public void write(OutputEvent e) throws IOException {
 *         e.writeJsonTo(System.out);
 *         System.out.write('\n');
 *     }
 *     public void flush() { System.out.flush(); }
 * }
 * }</pre>
 */
public interface Sink extends AutoCloseable {

    /** Writes one event. */
    void write(OutputEvent event) throws IOException;

    /** Pushes buffered events to their destination. The default does nothing. */
    default void flush() throws IOException {
    }

    /**
     * Reopens what the sink holds open, as after {@code logrotate} moved a file away or
     * certificates were renewed: SIGHUP makes the engine call this on every sink, on the chain's
     * thread, between two events. A file sink flushes, closes and opens its path again (creating
     * a new file); the syslog sink reloads its certificates; a sink without such a destination
     * does nothing, the default.
     *
     * <pre>{@code
     * public void reopen() throws IOException {
     *     out.close();
     *     out = new FileOutputStream(path.toFile(), true);
     * }
     * }</pre>
     */
    default void reopen() throws IOException {
    }

    /**
     * How many events this sink took but could not deliver, asked once it is closed: events it
     * still held when {@link #close()} gave up on their destination (a full disk, a receiver
     * away). The engine reports them and ends with a non-zero exit status, so that a lost event
     * never goes unnoticed. The default, for a sink that holds nothing back, is 0.
     *
     * <pre>{@code
     * public long undelivered() {
     *     return heldAtClose;
     * }
     * }</pre>
     */
    default long undelivered() {
        return 0;
    }

    /**
     * One phrase on how this sink's delivery is going, for laurel's periodic status report: a
     * sink that sends events on from a buffer of its own says what it sent, what its destination
     * acknowledged, retried, refused and dropped. The engine asks on the chain's thread at each
     * report and logs {@code status: sink ID: PHRASE}; the answer must not wait for the
     * destination. The default, for a sink with nothing to add, is {@code null} (no line).
     *
     * <pre>{@code
     * public String status() {
     *     return sent.get() + " sent, " + acknowledged.get() + " acknowledged";
     * }
     * }</pre>
     *
     * @since 1.1
     */
    default String status() {
        return null;
    }

    /** Flushes and releases the sink. The default flushes. */
    @Override
    default void close() throws Exception {
        flush();
    }
}
