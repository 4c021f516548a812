package dev.laurel.plugins.syslog;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real rsyslogd, started with a generated config in a temporary directory: imudp, imptcp
 * (plain TCP), imtcp with the gtls driver (TLS, one listener accepting any client and one
 * requiring a client certificate signed by the test CA), and imuxsock on a socket in the
 * directory; 64 KiB messages; each message's MSG alone written to {@code out/PROGRAMNAME.log}.
 */
final class Rsyslogd implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/rsyslogd");

    final Path dir;
    final int udpPort;
    final int tcpPort;
    final int tlsPort;
    final int mtlsPort;
    final Path unixSocket;
    /** A unix socket whose messages go through rsyslog's parsers, RFC 5424 included. */
    final Path unix5424Socket;
    final TestPki pki;
    private Process process;

    Rsyslogd(Path dir, TestPki pki) throws IOException {
        this(dir, pki, freeUdpPort(), freeTcpPort(), freeTcpPort(), freeTcpPort());
    }

    Rsyslogd(Path dir, TestPki pki, int udpPort, int tcpPort, int tlsPort, int mtlsPort) throws IOException {
        this.dir = dir;
        this.pki = pki;
        this.udpPort = udpPort;
        this.tcpPort = tcpPort;
        this.tlsPort = tlsPort;
        this.mtlsPort = mtlsPort;
        this.unixSocket = dir.resolve("log.sock");
        this.unix5424Socket = dir.resolve("log5424.sock");
        Files.createDirectories(dir.resolve("work"));
        Files.createDirectories(dir.resolve("out"));
        Files.writeString(dir.resolve("rsyslog.conf"), config(), StandardCharsets.UTF_8);
    }

    private String config() {
        return String.join("\n",
                "global(maxMessageSize=\"64k\" workDirectory=\"" + dir.resolve("work") + "\"",
                "       defaultNetstreamDriverCAFile=\"" + pki.ca + "\"",
                "       defaultNetstreamDriverCertFile=\"" + pki.serverCert + "\"",
                "       defaultNetstreamDriverKeyFile=\"" + pki.serverKey + "\")",
                "module(load=\"imudp\")",
                "module(load=\"imptcp\")",
                "module(load=\"imuxsock\" SysSock.Use=\"off\")",
                "module(load=\"imtcp\" StreamDriver.Name=\"gtls\" StreamDriver.Mode=\"1\" StreamDriver.AuthMode=\"anon\")",
                "template(name=\"msgonly\" type=\"string\" string=\"%msg%\\n\")",
                "template(name=\"perapp\" type=\"string\" string=\"" + dir.resolve("out") + "/%programname%.log\")",
                "input(type=\"imudp\" address=\"127.0.0.1\" port=\"" + udpPort + "\" rcvbufSize=\"16m\")",
                "input(type=\"imptcp\" address=\"127.0.0.1\" port=\"" + tcpPort + "\")",
                "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" + tlsPort + "\")",
                "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" + mtlsPort + "\""
                        + " streamDriver.authMode=\"x509/certvalid\")",
                "input(type=\"imuxsock\" socket=\"" + unixSocket + "\" rateLimit.interval=\"0\")",
                "input(type=\"imuxsock\" socket=\"" + unix5424Socket + "\" rateLimit.interval=\"0\""
                        + " useSpecialParser=\"off\" parseHostname=\"on\")",
                "*.* action(type=\"omfile\" dynaFile=\"perapp\" template=\"msgonly\")",
                "");
    }

    /** Starts rsyslogd in the foreground and waits until its TCP listeners accept. */
    Rsyslogd start() throws IOException, InterruptedException {
        process = new ProcessBuilder(BINARY.toString(), "-n", "-f", dir.resolve("rsyslog.conf").toString(),
                "-i", dir.resolve("rsyslogd.pid").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("rsyslogd.out").toFile()))
                .start();
        Process started = process;
        // not left running if the test JVM dies before @AfterAll
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroy));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!(accepts(tcpPort) && accepts(tlsPort) && accepts(mtlsPort) && Files.exists(unixSocket)
                && Files.exists(unix5424Socket))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("rsyslogd did not start; its output:\n"
                        + Files.readString(dir.resolve("rsyslogd.out")));
            }
            Thread.sleep(20);
        }
        return this;
    }

    /** SIGTERM, then wait (SIGKILL after 10 s). */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** The MSG of each message rsyslog wrote for {@code programName}. */
    List<String> received(String programName) throws IOException {
        Path f = dir.resolve("out").resolve(programName + ".log");
        if (!Files.exists(f)) {
            return List.of();
        }
        String all = Files.readString(f, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(all.split("\n", -1)));
        lines.remove(lines.size() - 1); // after the last newline; a partial line is kept
        return lines;
    }

    /** Waits until {@code count} messages arrived for {@code programName}, then a little more. */
    List<String> awaitReceived(String programName, int count, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // Counts the lines appended since the last look rather than reading the whole file each
        // time: the file grows to tens of MB, and rereading it every 50 ms took the CPU rsyslogd
        // needed to write it (SyslogSinkRestartTest once waited 125 s instead of 10).
        Path f = dir.resolve("out").resolve(programName + ".log");
        long offset = 0;
        int lines = 0;
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(1 << 16);
        while (lines < count && System.nanoTime() < deadline) {
            if (Files.exists(f)) {
                try (java.nio.channels.FileChannel in = java.nio.channels.FileChannel.open(f)) {
                    in.position(offset);
                    int n;
                    while ((n = in.read(buffer.clear())) > 0) {
                        for (int i = 0; i < n; i++) {
                            if (buffer.get(i) == '\n') {
                                lines++;
                            }
                        }
                        offset += n;
                    }
                }
            }
            if (lines < count) {
                Thread.sleep(50);
            }
        }
        Thread.sleep(200); // anything beyond count (duplicates) would show now
        return received(programName);
    }

    String log() throws IOException {
        return Files.readString(dir.resolve("rsyslogd.out"));
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
