package dev.laurel.plugins.stream;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/** A connection to a unix stream socket. */
final class UnixSocketPeer implements Peer {
    private final SocketChannel channel;

    private UnixSocketPeer(SocketChannel channel) {
        this.channel = channel;
    }

    /** Connects to {@code path} each time a peer is needed. */
    static Peer.Source to(Path path) {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(path);
        return new Peer.Source() {
            @Override
            public Peer open() throws IOException {
                SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    channel.connect(address);
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
                return new UnixSocketPeer(channel);
            }

            @Override
            public String describe() {
                return "unix socket " + path;
            }
        };
    }

    @Override
    public void write(ByteBuffer[] buffers) throws IOException {
        int last = buffers.length - 1;
        int from = 0;
        while (from <= last) {
            channel.write(buffers, from, buffers.length - from);
            while (from <= last && !buffers[from].hasRemaining()) {
                from++;
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // gone already
        }
    }
}
