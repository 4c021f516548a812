package dev.laurel.plugins.syslog;

import dev.laurel.api.OutputEvent;
import dev.laurel.api.Sink;
import dev.laurel.api.SinkFactory;
import dev.laurel.plugins.testkit.MapConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real capture through the syslog sink into a real rsyslogd, over each transport and format:
 * every event arrives, its MSG byte for byte the line the json-file sink writes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyslogSinkRsyslogTest {
    private Path dir;
    private Rsyslogd rsyslog;
    private List<OutputEvent> events;
    private List<String> fileLines;

    @BeforeAll
    void startRsyslog() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Rsyslogd.BINARY),
                "rsyslog is not installed (/usr/sbin/rsyslogd): apt-get install rsyslog rsyslog-gnutls");
        dir = Files.createTempDirectory("laurel-rsyslog");
        rsyslog = new Rsyslogd(dir, new TestPki(dir.resolve("pki"))).start();
        events = Capture.events();
        fileLines = Capture.jsonFileLines(events, dir.resolve("json-file.log"));
    }

    @AfterAll
    void stopRsyslog() throws Exception {
        if (rsyslog != null) {
            rsyslog.stop();
        }
    }

    private Map<String, Object> options(String transport, String app) {
        Map<String, Object> o = new HashMap<>();
        o.put("transport", transport);
        o.put("app-name", app);
        switch (transport) {
            case "udp" -> {
                o.put("host", "127.0.0.1");
                o.put("port", (long) rsyslog.udpPort);
            }
            case "tcp" -> {
                o.put("host", "127.0.0.1");
                o.put("port", (long) rsyslog.tcpPort);
            }
            case "tls" -> {
                o.put("host", "localhost");
                o.put("port", (long) rsyslog.tlsPort);
                o.put("ca-file", rsyslog.pki.ca.toString());
            }
            default -> o.put("path", rsyslog.unixSocket.toString());
        }
        return o;
    }

    private SyslogSink sink(Map<String, Object> options) throws Exception {
        return (SyslogSink) MapConfig.create(Capture.factory(SinkFactory.class, "syslog"), options);
    }

    /** Sends the capture, closes the sink, and returns what rsyslog received for {@code app}. */
    private List<String> sendAll(Map<String, Object> options) throws Exception {
        String app = (String) options.get("app-name");
        SyslogSink sink = sink(options);
        try {
            for (OutputEvent e : events) {
                sink.write(e);
            }
            sink.flush();
        } finally {
            sink.close();
        }
        assertThat(sink.sent()).isEqualTo(events.size());
        assertThat(sink.dropped()).isZero();
        assertThat(sink.oversize()).isZero();
        return rsyslog.awaitReceived(app, events.size(), Duration.ofSeconds(60));
    }

    private void assertEveryEvent(List<String> received, String prefix) throws Exception {
        List<String> expected = new ArrayList<>(fileLines.size());
        for (String line : fileLines) {
            expected.add(prefix + line);
        }
        assertThat(received).as("rsyslogd said:%n%s", rsyslog.log()).hasSize(1076);
        assertThat(received).containsExactlyElementsOf(expected);
    }

    @Test
    void capturesJsonFileLinesMatchTheEncoder() {
        assertThat(fileLines).hasSize(1076);
        for (int i = 0; i < fileLines.size(); i++) {
            assertThat(fileLines.get(i)).isEqualTo(new String(events.get(i).json(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void tcpRfc5424DeliversEveryEventAsTheJsonFileLine() throws Exception {
        Map<String, Object> o = options("tcp", "tcp5424");
        o.put("header", "rfc5424");
        // the json-file sink and the syslog sink side by side, as in a chain
        Path file = dir.resolve("side-by-side.log");
        SyslogSink syslog = sink(o);
        try (Sink json = Capture.jsonFile(file)) {
            for (OutputEvent e : events) {
                json.write(e);
                syslog.write(e);
            }
        } finally {
            syslog.close();
        }
        List<String> received = rsyslog.awaitReceived("tcp5424", events.size(), Duration.ofSeconds(60));
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1076);
        assertThat(received).as("rsyslogd said:%n%s", rsyslog.log()).containsExactlyElementsOf(lines);
    }

    @Test
    void laurelWithJsonFileAndSyslogSinksDeliversTheFileLinesToRsyslog() throws Exception {
        Path out = dir.resolve("pipeline.jsonl");
        Path config = dir.resolve("laurel.yaml");
        Files.writeString(config, String.join("\n",
                "input: \"" + dev.laurel.engine.testkit.TestData.capture() + "\"",
                "enrichers:",
                "  - type: hex-decoder",
                "sinks:",
                "  - type: json-file",
                "    file: \"" + out + "\"",
                "  - type: syslog",
                "    transport: tcp",
                "    host: 127.0.0.1",
                "    port: " + rsyslog.tcpPort,
                "    header: rfc5424",
                "    app-name: pipeline",
                ""));
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int status = dev.laurel.engine.cli.Main.run(new String[] {"--config", config.toString()},
                new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true),
                new java.io.PrintStream(err, true));
        assertThat(status).as(err.toString()).isZero();
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1076);
        List<String> received = rsyslog.awaitReceived("pipeline", lines.size(), Duration.ofSeconds(60));
        assertThat(received).as("rsyslogd said:%n%s", rsyslog.log()).containsExactlyElementsOf(lines);
    }

    @Test
    void reopenReloadsTheClientCertificateAndKeepsDelivering() throws Exception {
        Path cert = dir.resolve("reload-client.pem");
        Path key = dir.resolve("reload-client.key");
        Files.copy(rsyslog.pki.clientCert, cert);
        Files.copy(rsyslog.pki.clientKey, key);
        Map<String, Object> o = options("tls", "reload");
        o.put("port", (long) rsyslog.mtlsPort);
        o.put("client-certificate", cert.toString());
        o.put("client-key", key.toString());
        SyslogSink sink = sink(o);
        int half = events.size() / 2;
        try {
            for (OutputEvent e : events.subList(0, half)) {
                sink.write(e);
            }
            sink.flush();
            // a key that is no PKCS#8 PEM: the reload fails and the old certificate stays in use
            Files.writeString(key, "not a key");
            sink.reopen();
            for (OutputEvent e : events.subList(half, events.size())) {
                sink.write(e);
            }
        } finally {
            sink.close();
        }
        assertThat(sink.sent()).isEqualTo(events.size());
        assertEveryEvent(rsyslog.awaitReceived("reload", events.size(), Duration.ofSeconds(60)), "");
    }

    @Test
    void tcpRfc3164WithLfFramingDeliversEveryEvent() throws Exception {
        Map<String, Object> o = options("tcp", "tcp3164lf");
        o.put("header", "rfc3164");
        o.put("framing", "lf");
        // rsyslog keeps the space after the RFC 3164 TAG's colon in MSG
        assertEveryEvent(sendAll(o), " ");
    }

    @Test
    void udpRfc5424DeliversEveryEvent() throws Exception {
        assertEveryEvent(sendAll(options("udp", "udp5424")), "");
    }

    @Test
    void udpRfc3164DeliversEveryEvent() throws Exception {
        Map<String, Object> o = options("udp", "udp3164");
        o.put("header", "rfc3164");
        assertEveryEvent(sendAll(o), " ");
    }

    @Test
    void unixDatagramRfc3164DeliversEveryEvent() throws Exception {
        Map<String, Object> o = options("unix", "unix3164");
        o.put("header", "rfc3164");
        assertEveryEvent(sendAll(o), " ");
    }

    @Test
    void unixDatagramRfc5424DeliversEveryEvent() throws Exception {
        Map<String, Object> o = options("unix", "unix5424");
        o.put("path", rsyslog.unix5424Socket.toString());
        assertEveryEvent(sendAll(o), "");
    }

    @Test
    void tlsWithVerifiedServerDeliversEveryEvent() throws Exception {
        assertEveryEvent(sendAll(options("tls", "tls5424")), "");
    }

    @Test
    void tlsWithPemClientCertificateDeliversEveryEvent() throws Exception {
        Map<String, Object> o = options("tls", "mtlspem");
        o.put("port", (long) rsyslog.mtlsPort);
        o.put("client-certificate", rsyslog.pki.clientCert.toString());
        o.put("client-key", rsyslog.pki.clientKey.toString());
        assertEveryEvent(sendAll(o), "");
    }

    @Test
    void tlsWithPkcs12ClientCertificateAndLfFramingDeliversEveryEvent() throws Exception {
        Map<String, Object> o = options("tls", "mtlsp12");
        o.put("port", (long) rsyslog.mtlsPort);
        o.put("client-certificate", rsyslog.pki.clientP12.toString());
        o.put("client-certificate-password", TestPki.P12_PASSWORD);
        o.put("framing", "lf");
        o.put("header", "rfc3164");
        assertEveryEvent(sendAll(o), " ");
    }

    @Test
    void ceePrefixArrivesBeforeTheJson() throws Exception {
        Map<String, Object> o = options("tcp", "cee");
        o.put("message-prefix", "@cee: ");
        assertEveryEvent(sendAll(o), "@cee: ");
    }

    @Test
    void tlsRefusesAServerWhoseCertificateDoesNotNameTheHost() throws Exception {
        Map<String, Object> o = options("tls", "wrongname");
        o.put("host", "127.0.0.1"); // the server certificate names localhost only
        o.put("close-timeout", 500L);
        SyslogSink sink = sink(o);
        try {
            sink.write(events.get(0));
            Thread.sleep(1000);
        } finally {
            sink.close();
        }
        assertThat(sink.sent()).isZero();
        assertThat(rsyslog.received("wrongname")).isEmpty();
    }

    @Test
    void tlsWithoutHostnameVerificationAcceptsTheCaSignedServerUnderAnotherName() throws Exception {
        Map<String, Object> o = options("tls", "noverify");
        o.put("host", "127.0.0.1");
        o.put("verify-hostname", false);
        assertEveryEvent(sendAll(o), "");
    }

    @Test
    void oversizeMessagesAreTruncatedOrDroppedAndCounted() throws Exception {
        int limit = 2048;
        long longer = events.stream().filter(e -> e.json().length + 100 > limit).count();
        assertThat(longer).isPositive();

        // Tags of one length, so that both sinks' headers are as long and they find the same events
        // oversize: with "oversizetrunc" one byte longer, an event that fit the dropping sink's
        // limit exactly was truncated by the other, depending on how many digits the pid had.
        Map<String, Object> t = options("udp", "oversizetrim");
        t.put("max-message-size", (long) limit);
        SyslogSink truncating = sink(t);
        Map<String, Object> d = options("tcp", "oversizedrop");
        d.put("max-message-size", (long) limit);
        d.put("oversize", "drop");
        SyslogSink dropping = sink(d);
        try {
            for (OutputEvent e : events) {
                truncating.write(e);
                dropping.write(e);
            }
        } finally {
            truncating.close();
            dropping.close();
        }
        List<String> truncated = rsyslog.awaitReceived("oversizetrim", events.size(), Duration.ofSeconds(30));
        List<String> kept = rsyslog.awaitReceived("oversizedrop", (int) (events.size() - dropping.oversize()),
                Duration.ofSeconds(30));
        assertThat(truncating.sent()).isEqualTo(events.size());
        assertThat(truncated).hasSize(events.size());
        assertThat(truncated).allSatisfy(m -> assertThat(m.getBytes(StandardCharsets.UTF_8).length).isLessThan(limit));
        assertThat(dropping.oversize()).isPositive();
        assertThat(dropping.sent() + dropping.oversize()).isEqualTo(events.size());
        assertThat(kept).hasSize((int) dropping.sent());
        for (int i = 0; i < events.size(); i++) {
            if (!truncated.get(i).equals(fileLines.get(i))) {
                assertThat(fileLines.get(i)).startsWith(truncated.get(i));
            }
        }
        assertThat(truncating.oversize()).isEqualTo(dropping.oversize());
        // the same header as the dropping sink's, to know which events fit
        SyslogFormat header = new SyslogFormat(SyslogFormat.Kind.RFC5424, 10, 6,
                SyslogSinkFactory.machineName(), "oversizedrop", ProcessHandle.current().pid(), "",
                java.time.ZoneId.systemDefault());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            long millis = events.get(i).event().id().epochMillis();
            if (header.headerLength(millis) + events.get(i).json().length <= limit) {
                expected.add(fileLines.get(i));
            }
        }
        assertThat(expected).hasSize((int) dropping.sent());
        assertThat(kept).containsExactlyElementsOf(expected);
    }
}
