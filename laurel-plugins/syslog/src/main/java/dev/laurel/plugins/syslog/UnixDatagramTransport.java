package dev.laurel.plugins.syslog;

import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import java.io.IOException;
import java.net.DatagramPacket;
import java.nio.file.Path;

/**
 * A unix DATAGRAM socket such as {@code /dev/log}: one message per datagram, as syslog(3) sends.
 * The JDK has only stream unix sockets, hence junixsocket. A full receive queue makes
 * {@link #send} wait, which is the back-pressure we want.
 */
final class UnixDatagramTransport implements Transport {
    private final AFUNIXDatagramSocket socket;
    private final int max;

    UnixDatagramTransport(Path path) throws IOException {
        AFUNIXDatagramSocket s = AFUNIXDatagramSocket.newInstance();
        try {
            s.connect(AFUNIXSocketAddress.of(path));
            // Linux refuses a datagram larger than the send buffer (EMSGSIZE); leave room for
            // the kernel's per-packet overhead.
            this.max = Math.max(1024, s.getSendBufferSize() - 512);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        this.socket = s;
    }

    @Override
    public void send(byte[] message, int length) throws IOException {
        socket.send(new DatagramPacket(message, 0, length));
    }

    @Override
    public int maxMessage() {
        return max;
    }

    @Override
    public void close() {
        socket.close();
    }
}
