package dev.laurel.plugins.syslog;

import java.io.IOException;

/**
 * One connection to the receiver. Used by the sender thread alone. {@link #send} either hands
 * the whole message to the operating system or throws; the sender then closes the transport,
 * waits, and opens a new one.
 */
interface Transport extends AutoCloseable {

    /** Sends one message (without framing; the transport adds its own). */
    void send(byte[] message, int length) throws IOException;

    /** Hands buffered bytes to the operating system. */
    default void flush() throws IOException {
    }

    /** What a check of an idle connection found. */
    enum Peer {
        /** Still open. */
        OPEN,
        /** Closed in order (FIN, TLS close_notify): the receiver had read all that reached it. */
        CLOSED,
        /** Reset, or sent something: the receiver may have dropped unread bytes. */
        RESET
    }

    /**
     * Whether the receiver went away while we were idle. Checked before writing after a pause,
     * so that the first message after a receiver restart is not written into a dead connection.
     */
    default Peer peer() {
        return Peer.OPEN;
    }

    /** The largest message the transport can carry, or {@code Integer.MAX_VALUE}. */
    default int maxMessage() {
        return Integer.MAX_VALUE;
    }

    @Override
    void close();

    /** Opens connections; called again after every failure. */
    interface Opener {
        Transport open() throws IOException;

        /** Reloads what it reads from files (certificates). The default does nothing. */
        default void reload() throws IOException {
        }

        /** The receiver's address, for log messages. */
        String describe();
    }
}
