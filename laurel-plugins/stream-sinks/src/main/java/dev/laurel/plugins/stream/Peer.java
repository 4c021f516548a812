package dev.laurel.plugins.stream;

import java.io.IOException;
import java.nio.ByteBuffer;

/** The far end of a {@link LineRelay}: a connected socket or a running command. */
interface Peer {

    /** Writes every remaining byte of {@code buffers}, or throws when the peer is gone. */
    void write(ByteBuffer[] buffers) throws IOException;

    /** Lets go of the peer; never throws. */
    void close();

    /** Opens a new {@link Peer}; called on the relay's own thread, again after each loss. */
    interface Source {
        Peer open() throws IOException;

        /** What it connects to, for the log: {@code unix socket /run/x.sock}. */
        String describe();
    }
}
