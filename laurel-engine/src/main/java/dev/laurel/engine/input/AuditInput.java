package dev.laurel.engine.input;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens where auditd's records come from, as the config's {@code input} names it.
 *
 * <ul>
 *   <li>{@code -} (or nothing): standard input, as auditd runs a plugin;</li>
 *   <li>{@code unix:/path}: a stream connection to auditd's {@code builtin_af_unix} socket;</li>
 *   <li>anything else: a file, read to its end.</li>
 * </ul>
 */
public final class AuditInput {
    private AuditInput() {
    }

    /** The prefix of a unix socket input. */
    public static final String UNIX_PREFIX = "unix:";

    /** Opens {@code spec}; the caller closes the stream. */
    public static InputStream open(String spec) throws IOException {
        if (spec == null || spec.isEmpty() || spec.equals("-")) {
            // Not System.in: its BufferedInputStream would copy every byte once more.
            return new FileInputStream(FileDescriptor.in);
        }
        if (spec.startsWith(UNIX_PREFIX)) {
            Path socket = Path.of(spec.substring(UNIX_PREFIX.length()));
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                channel.close();
                throw new IOException("cannot connect to " + socket + ": " + e.getMessage(), e);
            }
            return Channels.newInputStream(channel);
        }
        return Files.newInputStream(Path.of(spec));
    }

    /**
     * Whether {@code spec} is auditd writing now rather than a log replayed from a file: a unix
     * socket, or standard input that is not redirected from a regular file.
     */
    public static boolean isLive(String spec) {
        if (spec != null && spec.startsWith(UNIX_PREFIX)) {
            return true;
        }
        if (spec != null && !spec.isEmpty() && !spec.equals("-")) {
            return false;
        }
        try {
            return !Files.isRegularFile(Path.of("/proc/self/fd/0"));   // follows the link to stdin's file
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** A name for messages: {@code stdin}, the socket or the file. */
    public static String describe(String spec) {
        return spec == null || spec.isEmpty() || spec.equals("-") ? "stdin" : spec;
    }
}
