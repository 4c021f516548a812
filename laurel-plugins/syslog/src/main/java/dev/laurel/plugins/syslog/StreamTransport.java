package dev.laurel.plugins.syslog;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * TCP or TLS: a byte stream, framed per RFC 6587 either by octet counting
 * ({@code LENGTH SP MESSAGE}, the default: safe for any message) or by a trailing LF
 * ({@code MESSAGE LF}, for receivers without octet counting; the JSON line holds no raw LF).
 */
final class StreamTransport implements Transport {
    static final int BUFFER = 64 * 1024;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final boolean octetCounting;

    StreamTransport(Socket socket, boolean octetCounting) throws IOException {
        this.socket = socket;
        this.out = new BufferedOutputStream(socket.getOutputStream(), BUFFER);
        this.in = socket.getInputStream();
        this.octetCounting = octetCounting;
    }

    @Override
    public void send(byte[] message, int length) throws IOException {
        if (octetCounting) {
            out.write(Integer.toString(length).getBytes(StandardCharsets.US_ASCII));
            out.write(' ');
            out.write(message, 0, length);
        } else {
            out.write(message, 0, length);
            out.write('\n');
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /**
     * A syslog receiver never sends on this connection, so anything readable means it closed:
     * end of stream (or a TLS close_notify) when it closed with nothing unread, a reset when
     * it closed with bytes unread. Waits at most 1 ms.
     */
    @Override
    public Peer peer() {
        try {
            socket.setSoTimeout(1);
            return in.read() == -1 ? Peer.CLOSED : Peer.RESET;
        } catch (SocketTimeoutException alive) {
            return Peer.OPEN;
        } catch (IOException e) {
            return Peer.RESET;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing after a failure: nothing more to do
        }
    }
}
