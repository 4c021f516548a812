package dev.laurel.engine.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.laurel.api.AuditEvent;
import dev.laurel.api.Encoding;
import dev.laurel.api.EventId;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.api.internal.Records;
import dev.laurel.engine.parse.ParsedRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Feeds the assembler records built from fuzzer bytes (few ids so that they collide, EOEs,
 * user-space records, EXECVE argument fields and fragments in any order and encoding, clock
 * ticks, small limits) and checks that nothing throws and every record is either in exactly one
 * event or rejected (with a reason) exactly once.
 * Without {@code JAZZER_FUZZ=1} it replays the committed inputs in
 * {@code EventAssemblerFuzzTestInputs/} as a regression test.
 */
class EventAssemblerFuzzTest {
    private static final String[] NODES = {null, "a", "b"};
    private static final RecordType[] TYPES = {
        RecordType.SYSCALL, RecordType.EXECVE, RecordType.EXECVE, RecordType.PATH, RecordType.EOE,
        RecordType.EOE, RecordType.of(1105), RecordType.of(1200), RecordType.of(2300), RecordType.PROCTITLE};
    private static final Encoding[] ENCODINGS = Encoding.values();

    @FuzzTest(maxDuration = "60s")
    void assemblesAnyRecordsWithoutLosingOne(FuzzedDataProvider data) {
        List<AuditEvent> out = new ArrayList<>();
        Map<Record, String> rejected = new IdentityHashMap<>();
        EventAssembler assembler = new EventAssembler(out::add, new EventAssembler.Limits(
                data.consumeInt(1, 6), Duration.ofMillis(data.consumeInt(0, 5000)),
                Duration.ofMillis(data.consumeInt(0, 5000)), data.consumeInt(1, 64)),
                (p, reason) -> assertThat(rejected.put(p.record(), reason)).isNull());
        List<ParsedRecord> in = new ArrayList<>();
        int steps = data.consumeInt(0, 300);
        for (int step = 0; step < steps && data.remainingBytes() > 0; step++) {
            if (data.consumeInt(0, 15) == 0) {
                assembler.expire(data.consumeBoolean() ? data.consumeLong() : data.consumeLong(0, 100_000));
                continue;
            }
            ParsedRecord p = record(data);
            in.add(p);
            assembler.accept(p);
        }
        assembler.flush();
        assertThat(rejected).hasSize((int) assembler.rejectedRecords());
        assertThat(rejected.values()).allMatch(reason -> !reason.isEmpty());
        check(in, out, assembler, rejected);
    }

    private static ParsedRecord record(FuzzedDataProvider data) {
        String node = NODES[data.consumeInt(0, NODES.length - 1)];
        long seconds = data.consumeInt(0, 31) == 0 ? data.consumeLong() : 1000 + data.consumeInt(0, 12);
        EventId id = new EventId(seconds, data.consumeInt(0, 999), data.consumeInt(0, 4));
        RecordType type = data.consumeInt(0, 15) == 0
                ? RecordType.of(data.consumeInt(1000, 3000)) : TYPES[data.consumeInt(0, TYPES.length - 1)];
        Record record = Records.create(type, data.consumeBytes(4), 2);
        if (type == RecordType.EOE) {
            return new ParsedRecord(node, id, record);
        }
        int fields = data.consumeInt(0, 8);
        for (int f = 0; f < fields; f++) {
            if (f == fields / 2 && data.consumeBoolean()) {
                Records.markEnrichedStart(record);
            }
            record.add(name(data, type), value(data));
        }
        return new ParsedRecord(node, id, record);
    }

    private static String name(FuzzedDataProvider data, RecordType type) {
        int n = data.consumeInt(0, 4);
        return switch (type == RecordType.EXECVE ? data.consumeInt(0, 6) : 6) {
            case 0 -> "argc";
            case 1, 2 -> "a" + n;
            case 3 -> "a" + n + "_len";
            case 4, 5 -> "a" + n + "[" + data.consumeInt(0, 3) + "]";
            default -> data.consumeAsciiString(6);
        };
    }

    private static Value value(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 7)) {
            case 0 -> Value.text(data.consumeBytes(6));
            case 1 -> Value.number(data.consumeLong());
            default -> {
                byte[] bytes = data.consumeBytes(12);
                int offset = bytes.length == 0 ? 0 : data.consumeInt(0, bytes.length);
                yield new Value.Token(bytes, offset, bytes.length - offset,
                        ENCODINGS[data.consumeInt(0, ENCODINGS.length - 1)]);
            }
        };
    }

    /** Every record but EOE is in exactly one event, of its own id and node, in input order. */
    private static void check(List<ParsedRecord> in, List<AuditEvent> out, EventAssembler assembler,
                              Map<Record, String> rejected) {
        assertThat(assembler.pendingBytes()).isZero();
        assertThat(assembler.pending()).isZero();
        Map<Record, Integer> position = new IdentityHashMap<>();
        Map<byte[], ParsedRecord> execveLines = new IdentityHashMap<>();
        int eoes = 0;
        int execves = 0;
        int userSpace = 0;
        for (int i = 0; i < in.size(); i++) {
            ParsedRecord p = in.get(i);
            RecordType type = p.record().type();
            if (type == RecordType.EOE) {
                eoes++;
            } else if (rejected.containsKey(p.record())) {
                continue;
            } else if (EventAssembler.isEventByItself(type)) {
                userSpace++;
                position.put(p.record(), i);
            } else if (type == RecordType.EXECVE) {
                execves++;
                execveLines.put(p.record().line(), p);
            } else {
                position.put(p.record(), i);
            }
        }
        Map<Record, Integer> seen = new IdentityHashMap<>();
        int merged = 0;
        int kernelEvents = 0;
        int loneEvents = 0;
        for (AuditEvent e : out) {
            assertThat(e.records()).isNotEmpty();
            if (EventAssembler.isEventByItself(e.records().get(0).type())) {
                assertThat(e.records()).hasSize(1);
                loneEvents++;
            } else {
                kernelEvents++;
            }
            int last = -1;
            int execvesHere = 0;
            for (Record r : e.records()) {
                assertThat(r.type()).isNotEqualTo(RecordType.EOE);
                if (r.type() == RecordType.EXECVE) {
                    execvesHere++;
                    merged++;
                    ParsedRecord first = execveLines.get(r.line());
                    assertThat(first).as("merged EXECVE keeps an input EXECVE's line").isNotNull();
                    assertThat(first.id()).isEqualTo(e.id());
                    assertThat(first.node()).isEqualTo(e.node());
                    assertThat(r.get("ARGV")).isInstanceOf(Value.ListValue.class);
                    continue;
                }
                Integer at = position.get(r);
                assertThat(at).as("%s comes from the input", r).isNotNull();
                assertThat(in.get(at).id()).isEqualTo(e.id());
                assertThat(in.get(at).node()).isEqualTo(e.node());
                assertThat(at).as("records in input order").isGreaterThan(last);
                last = at;
                seen.merge(r, 1, Integer::sum);
            }
            assertThat(execvesHere).isLessThanOrEqualTo(1);
        }
        assertThat(seen).hasSameSizeAs(position);
        assertThat(seen.values()).allMatch(n -> n == 1);
        assertThat(loneEvents).isEqualTo(userSpace);
        assertThat(merged + assembler.foldedExecveRecords()).isEqualTo(execves);
        assertThat(assembler.orphanEoes() + kernelEvents - assembler.incompleteEvents()).isEqualTo(eoes);
    }
}
