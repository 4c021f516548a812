package dev.laurel.plugins.kafka;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.EventId;
import dev.laurel.api.ProcessInfo;
import dev.laurel.api.ProcessTable;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecordKeysTest {

    /** Processes with an even pid last exec'd at a millisecond under 100 (zeros to pad); odd ones unknown. */
    private static final ProcessTable PROCESSES = (ProcessTable) Proxy.newProxyInstance(
            RecordKeysTest.class.getClassLoader(), new Class<?>[] {ProcessTable.class}, (proxy, m, args) -> {
                if (!m.getName().equals("get") || (long) args[0] % 2 != 0) {
                    return null;
                }
                EventId exec = new EventId(1_700_000_000L + (long) args[0], (int) ((long) args[0] % 100), 42 + (long) args[0]);
                return Proxy.newProxyInstance(RecordKeysTest.class.getClassLoader(), new Class<?>[] {ProcessInfo.class},
                        (p, im, a) -> im.getName().equals("lastExec") ? exec : null);
            });

    /** The keys as the sink made them before, one String per event. */
    private static String expected(KafkaSink.KeyMode mode, AuditEvent e, ProcessTable processes) {
        String host = e.node() != null && !e.node().isEmpty() ? e.node() : "this-machine";
        return switch (mode) {
            case NONE -> null;
            case HOST -> host;
            case EVENT_ID -> e.id().toString();
            case PROCESS -> {
                Record sc = e.first(RecordType.SYSCALL);
                long pid = sc == null ? -1 : sc.getLong("pid", -1);
                if (pid < 0) {
                    yield host;
                }
                ProcessInfo p = processes == null ? null : processes.get(pid);
                EventId exec = p == null ? null : p.lastExec();
                yield host + ":" + pid + ":" + (exec == null ? "-" : exec.toString());
            }
        };
    }

    @Test
    void everyKeyOfTheCaptureIsTheHostTheEventIdOrTheProcessAsText() {
        List<AuditEvent> events = TestData.events(TestData.capture());
        assertThat(events).hasSizeGreaterThan(1000);
        int withExec = 0;
        for (KafkaSink.KeyMode mode : KafkaSink.KeyMode.values()) {
            for (ProcessTable processes : new ProcessTable[] {null, PROCESSES}) {
                RecordKeys keys = new RecordKeys(mode, "this-machine", processes);
                for (AuditEvent e : events) {
                    String want = expected(mode, e, processes);
                    boolean keyed = keys.write(e);
                    assertThat(keyed ? new String(keys.key.bytes, 0, keys.key.length, StandardCharsets.UTF_8) : null)
                            .as("%s key of %s", mode, e.id()).isEqualTo(want);
                    if (want != null && want.chars().filter(c -> c == ':').count() == 3) {
                        withExec++;
                    }
                }
            }
        }
        assertThat(withExec).as("keys with an exec id").isGreaterThan(100);
    }

    @Test
    void anEventIdIsWrittenWithItsMillisecondsInThreeDigits() {
        RecordKeys keys = new RecordKeys(KafkaSink.KeyMode.EVENT_ID, "m", null);
        for (int ms : new int[] {0, 7, 42, 999}) {
            AuditEvent e = new AuditEvent(new EventId(1626611363L, ms, 348501L), null);
            assertThat(keys.write(e)).isTrue();
            assertThat(new String(keys.key.bytes, 0, keys.key.length, StandardCharsets.US_ASCII))
                    .isEqualTo(e.id().toString());
        }
    }
}
