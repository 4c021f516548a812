package dev.laurel.plugins.syslog;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.EventId;
import dev.laurel.api.OutputEvent;
import dev.laurel.plugins.testkit.RecordingLogger;
import dev.laurel.plugins.testkit.TestOutputs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The receiver dies between the sender's last send and its final flush at close: what the
 * connection held goes through the same replay path as a failure mid-stream, within
 * close-timeout, and what could not be delivered is reported. A scripted transport makes the
 * timing exact, which real sockets cannot.
 */
class SyslogSinkCloseTest {

    /** A receiver whose connections take sends into a buffer that a flush delivers. */
    private static final class Receiver implements Transport.Opener {
        final List<String> delivered = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger opened = new AtomicInteger();
        /** The first connection dies after this many sends, before the flush that follows. */
        final int firstDiesAfter;
        volatile boolean refuses;

        Receiver(int firstDiesAfter) {
            this.firstDiesAfter = firstDiesAfter;
        }

        @Override
        public Transport open() throws IOException {
            if (refuses) {
                throw new IOException("Connection refused");
            }
            int n = opened.incrementAndGet();
            return new Transport() {
                final List<String> buffered = new ArrayList<>();
                int sends;
                boolean dead;

                @Override
                public void send(byte[] message, int length) {
                    buffered.add(new String(message, 0, length, StandardCharsets.UTF_8));
                    if (n == 1 && ++sends == firstDiesAfter) {
                        dead = true;
                        refuses = refusesAfterDeath;
                    }
                }

                @Override
                public void flush() throws IOException {
                    if (dead) {
                        buffered.clear();
                        throw new IOException("Broken pipe");
                    }
                    delivered.addAll(buffered);
                    buffered.clear();
                }

                @Override
                public Peer peer() {
                    return dead ? Peer.RESET : Peer.OPEN;
                }

                @Override
                public void close() {
                }
            };
        }

        volatile boolean refusesAfterDeath;

        @Override
        public String describe() {
            return "scripted receiver";
        }
    }

    private static SyslogSink sink(Receiver receiver, RecordingLogger log, long closeTimeoutMs) {
        SyslogFormat format = new SyslogFormat(SyslogFormat.Kind.RFC5424, 10, 6, "host1", "laurel", 42, "",
                ZoneOffset.UTC);
        return new SyslogSink("test", log, format, receiver, 100, false, 0, true, 200, closeTimeoutMs, 1 << 20);
    }

    private static OutputEvent event(int n) {
        AuditEvent event = new AuditEvent(new EventId(1_700_000_000L, 0, n), null);
        byte[] json = ("{\"ID\":\"" + n + "\"}").getBytes(StandardCharsets.UTF_8);
        return TestOutputs.of(event, json);
    }

    private static List<String> ids(List<String> messages) {
        List<String> ids = new ArrayList<>();
        for (String m : messages) {
            ids.add(m.substring(m.indexOf("{\"ID\":\"") + 7, m.lastIndexOf('"')));
        }
        return ids;
    }

    @Test
    void messagesLostByTheFinalFlushAreSentAgainOnANewConnection() throws Exception {
        Receiver receiver = new Receiver(8);
        RecordingLogger log = new RecordingLogger();
        SyslogSink sink = sink(receiver, log, 5000);
        for (int i = 1; i <= 5; i++) {
            sink.write(event(i));
        }
        sink.flush();
        assertThat(ids(receiver.delivered)).containsExactly("1", "2", "3", "4", "5");
        for (int i = 6; i <= 8; i++) {
            sink.write(event(i));
        }

        sink.close();   // the 8th send is the last before the receiver dies

        assertThat(receiver.opened).as("a second connection for the lost messages").hasValue(2);
        assertThat(ids(receiver.delivered)).as("every message reached a live receiver")
                .containsAll(List.of("1", "2", "3", "4", "5", "6", "7", "8"));
        assertThat(sink.replayed()).as("the replay window was sent again").isPositive();
        assertThat(log.lines()).noneMatch(l -> l.contains("not delivered"));
    }

    @Test
    void whatTheReceiverNeverGotIsReportedWhenItStaysAway() throws Exception {
        Receiver receiver = new Receiver(3);
        receiver.refusesAfterDeath = true;
        RecordingLogger log = new RecordingLogger();
        SyslogSink sink = sink(receiver, log, 500);
        for (int i = 1; i <= 3; i++) {
            sink.write(event(i));
        }

        long start = System.nanoTime();
        sink.close();
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(tookMs).as("close gives up within close-timeout (plus the interrupt grace)").isLessThan(2500);
        assertThat(ids(receiver.delivered)).doesNotContain("3");
        assertThat(log.lines()).anySatisfy(l -> assertThat(l)
                .matches("WARNING syslog sink test: closed with [1-3] events not delivered .*"));
    }
}
