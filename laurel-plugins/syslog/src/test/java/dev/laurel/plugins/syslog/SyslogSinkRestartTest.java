package dev.laurel.plugins.syslog;

import dev.laurel.api.OutputEvent;
import dev.laurel.api.SinkFactory;
import dev.laurel.plugins.testkit.MapConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A real rsyslogd stopped and started again on the same port while the sink sends over TCP. */
class SyslogSinkRestartTest {
    private Path dir;
    private Rsyslogd rsyslog;
    private List<OutputEvent> events;
    private List<String> lines;

    @BeforeEach
    void startRsyslog() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Rsyslogd.BINARY),
                "rsyslog is not installed (/usr/sbin/rsyslogd): apt-get install rsyslog rsyslog-gnutls");
        dir = Files.createTempDirectory("laurel-rsyslog-restart");
        rsyslog = new Rsyslogd(dir, new TestPki(dir.resolve("pki"))).start();
        events = Capture.events();
        lines = new ArrayList<>();
        for (OutputEvent e : events) {
            lines.add(new String(e.json(), StandardCharsets.UTF_8));
        }
    }

    @AfterEach
    void stopRsyslog() throws Exception {
        if (rsyslog != null) {
            rsyslog.stop();
        }
    }

    private SyslogSink sink(String app, Map<String, Object> more) throws Exception {
        Map<String, Object> o = new HashMap<>(more);
        o.put("transport", "tcp");
        o.put("host", "127.0.0.1");
        o.put("port", (long) rsyslog.tcpPort);
        o.put("app-name", app);
        o.put("reconnect-max-delay", 400L);
        o.put("close-timeout", 30_000L);
        return (SyslogSink) MapConfig.create(Capture.factory(SinkFactory.class, "syslog"), o);
    }

    @Test
    void blockDeliversEveryEventExactlyOnceWhenTheReceiverRestartsBetweenBursts() throws Exception {
        SyslogSink sink = sink("restartblock", Map.of("buffer-events", 100L));
        int half = events.size() / 2;
        try {
            for (OutputEvent e : events.subList(0, half)) {
                sink.write(e);
            }
            sink.flush();
            assertThat(rsyslog.awaitReceived("restartblock", half, Duration.ofSeconds(30))).hasSize(half);
            rsyslog.stop(); // the sink's connection is now dead, and nothing listens on the port

            // 100 buffered plus one held by the sender; the rest of the writes wait for room
            Thread restart = new Thread(() -> {
                try {
                    Thread.sleep(1500);
                    rsyslog.start();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            restart.start();
            long t0 = System.nanoTime();
            for (OutputEvent e : events.subList(half, events.size())) {
                sink.write(e);
            }
            long blockedMillis = (System.nanoTime() - t0) / 1_000_000;
            restart.join();
            assertThat(blockedMillis).as("write waited for the receiver").isGreaterThan(1000);
        } finally {
            sink.close();
        }
        assertThat(sink.dropped()).isZero();
        List<String> received = rsyslog.awaitReceived("restartblock", events.size(), Duration.ofSeconds(30));
        assertThat(received).containsExactlyElementsOf(lines);
    }

    @Test
    void blockDeliversEveryEventAtLeastOnceWhenTheReceiverDiesMidStream() throws Exception {
        // What a receiver killed mid-stream loses is what sat in our socket's send buffer and in
        // its receive buffer, unread: at most the kernel's largest TCP buffers. A window that
        // large is the condition for at-least-once (the default, 4 MiB, covers less when the
        // receiver falls behind, as it does on a loaded machine).
        long window = maxTcpBuffer("tcp_wmem") + maxTcpBuffer("tcp_rmem");
        SyslogSink sink = sink("midstream", Map.of("buffer-events", 2000L, "replay-bytes", window));
        Thread killer = restartWhenSent(sink, 1500);
        // Every message is unique (a sequence number in front), so that a duplicate can never
        // stand in for a message that was lost.
        List<String> sent = new ArrayList<>();
        int rounds = 0;
        try {
            // the capture over and over, so that the stream is still flowing when rsyslogd dies
            // and comes back, and one more time after that
            while (killer.isAlive() || rounds < 2) {
                for (OutputEvent e : events) {
                    sink.write(numbered(e, sent));
                }
                rounds++;
            }
            killer.join();
            for (OutputEvent e : events) {
                sink.write(numbered(e, sent));
            }
        } finally {
            sink.close();
        }
        long replayed = sink.replayed();
        Map<String, Integer> times = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> received = List.of();
        while (times.size() < sent.size() && System.nanoTime() < deadline) {
            received = rsyslog.awaitReceived("midstream", sent.size(), Duration.ofSeconds(5));
            times.clear();
            for (String m : received) {
                times.merge(m, 1, Integer::sum);
            }
        }
        int duplicates = received.size() - times.size();
        System.out.printf("mid-stream restart: %d messages, window %d bytes, %d sent, %d replayed, "
                + "%d received, %d duplicates%n", sent.size(), window, sink.sent(), replayed,
                received.size(), duplicates);
        assertThat(replayed).as("the connection broke mid-stream").isPositive();
        assertThat(sink.sent()).as("every message once, and the replayed ones again")
                .isEqualTo(sent.size() + replayed);
        java.util.Set<String> missing = new java.util.LinkedHashSet<>(sent);
        missing.removeAll(times.keySet());
        assertThat(missing).as("messages that never arrived").isEmpty();
        assertThat(sent).containsAll(times.keySet());
        // every duplicate is one of the messages sent again, no more
        assertThat(duplicates).isBetween(0, (int) replayed);
    }

    /** The largest buffer the kernel gives a TCP socket: the third figure of tcp_wmem/tcp_rmem. */
    private static long maxTcpBuffer(String name) throws Exception {
        Path p = Path.of("/proc/sys/net/ipv4", name);
        if (!Files.isReadable(p)) {
            return 32L << 20;
        }
        // a stream: Files.readString trusts the size procfs reports and cuts the file short
        String text;
        try (java.io.InputStream in = Files.newInputStream(p)) {
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        String[] figures = text.trim().split("\\s+");
        return Long.parseLong(figures[figures.length - 1]);
    }

    @Test
    void dropCountsExactlyTheEventsThatNeverArrive() throws Exception {
        SyslogSink sink = sink("restartdrop", Map.of("buffer-events", 50L, "on-full", "drop"));
        int half = events.size() / 2;
        try {
            for (int i = 0; i < half; i++) {
                sink.write(events.get(i));
                if (i % 10 == 9) {
                    sink.flush(); // keep within the buffer: nothing dropped while rsyslog runs
                }
            }
            sink.flush();
            assertThat(sink.dropped()).isZero();
            assertThat(rsyslog.awaitReceived("restartdrop", half, Duration.ofSeconds(30))).hasSize(half);
            rsyslog.stop();
            for (OutputEvent e : events.subList(half, events.size())) {
                sink.write(e); // never waits: the buffer fills, then events are dropped
            }
            assertThat(sink.dropped()).isPositive();
            rsyslog.start();
        } finally {
            sink.close();
        }
        long dropped = sink.dropped();
        List<String> received = rsyslog.awaitReceived("restartdrop", (int) (events.size() - dropped),
                Duration.ofSeconds(30));
        assertThat(received).hasSize((int) (events.size() - dropped));
        assertThat(sink.sent()).isEqualTo(events.size() - dropped);
        // what arrived is the first half, then events of the second half in order
        assertThat(received.subList(0, half)).containsExactlyElementsOf(lines.subList(0, half));
        assertThat(lines.subList(half, lines.size())).containsSubsequence(received.subList(half, received.size()));
    }

    @Test
    void dropCountsExactlyTheEventsMissingAfterTheReceiverDiesMidStream() throws Exception {
        // a window that covers the kernel's buffers (see the test above): only drops are missing
        long window = maxTcpBuffer("tcp_wmem") + maxTcpBuffer("tcp_rmem");
        SyslogSink sink = sink("middrop", Map.of("buffer-events", 200L, "on-full", "drop",
                "replay-bytes", window));
        Thread killer = restartWhenSent(sink, 1500);
        // Every message is made unique (a sequence number in front), so that a message the
        // replay window sent twice can never hide one that was dropped.
        List<String> sent = new ArrayList<>();
        int rounds = 0;
        try {
            while (killer.isAlive() || rounds < 2) {
                for (OutputEvent e : events) {
                    sink.write(numbered(e, sent));
                }
                rounds++;
                // a round (1,076 events) overfills the 200-event buffer at once; without a pause a
                // slow restart made 270 rounds, and 290,000 messages for rsyslogd and the checks
                Thread.sleep(20);
            }
            killer.join();
            for (OutputEvent e : events) {
                sink.write(numbered(e, sent));
            }
        } finally {
            sink.close();
        }
        long dropped = sink.dropped();
        assertThat(dropped).as("the buffer filled while rsyslogd was away").isPositive();
        java.util.Set<String> expected = new java.util.HashSet<>(sent);
        java.util.Set<String> arrived = new java.util.HashSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            arrived = new java.util.HashSet<>(rsyslog.awaitReceived("middrop", (int) (sent.size() - dropped),
                    Duration.ofSeconds(5)));
            if (arrived.size() >= sent.size() - dropped || System.nanoTime() >= deadline) {
                break;
            }
            Thread.sleep(500);   // lines enough, counting duplicates, but not every message yet
        }
        assertThat(expected).containsAll(arrived);
        expected.removeAll(arrived);
        System.out.printf("mid-stream restart with drop: %d sent, %d dropped, %d replayed, %d missing%n",
                sent.size(), dropped, sink.replayed(), expected.size());
        assertThat(expected).as("messages that never arrived").hasSize((int) dropped);
    }

    private static OutputEvent numbered(OutputEvent e, List<String> sent) {
        String json = "{\"SEQ\":" + sent.size() + "," + new String(e.json(), StandardCharsets.UTF_8).substring(1);
        sent.add(json);
        return Capture.output(e.event(), json.getBytes(StandardCharsets.UTF_8));
    }

    /** Stops rsyslogd once {@code sink} has sent {@code count} messages, and starts it again. */
    private Thread restartWhenSent(SyslogSink sink, long count) {
        Thread killer = new Thread(() -> {
            try {
                while (sink.sent() < count) {
                    Thread.sleep(1);
                }
                rsyslog.stop();
                Thread.sleep(500);
                rsyslog.start();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        killer.start();
        return killer;
    }
}
