package dev.laurel.plugins.syslog;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/** UDP: one message per datagram, no framing (RFC 5426). */
final class DatagramTransport implements Transport {
    /** The largest UDP payload over IPv4: 65535 - 20 (IP) - 8 (UDP). */
    static final int MAX_UDP = 65_507;

    private final DatagramChannel channel;

    DatagramTransport(InetSocketAddress receiver) throws IOException {
        DatagramChannel c = DatagramChannel.open();
        try {
            c.connect(receiver);
        } catch (IOException e) {
            c.close();
            throw e;
        }
        this.channel = c;
    }

    @Override
    public void send(byte[] message, int length) throws IOException {
        channel.write(ByteBuffer.wrap(message, 0, length));
    }

    @Override
    public int maxMessage() {
        return MAX_UDP;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to release beyond the descriptor
        }
    }
}
