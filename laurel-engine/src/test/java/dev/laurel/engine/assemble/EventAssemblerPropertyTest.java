package dev.laurel.engine.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.engine.parse.ParsedRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Interleaving the capture's events arbitrarily (each event's own records in order, every event
 * within the documented waits) yields the same events as feeding them one after another.
 * Runs {@value #RUNS} seeded cases; {@code -Dlaurel.seed=N} repeats the run with seed N.
 */
class EventAssemblerPropertyTest {
    private static final int RUNS = 200;
    private static final long EVENT_TIME_WAIT = 3000;

    /** The capture's events, each the records of one event in order, EOE included. */
    private static List<List<ParsedRecord>> events;
    private static List<String> sequential;
    private static List<String> sequentialTwoNodes;
    private static final Map<Record, String> CONTENT = new IdentityHashMap<>();

    @BeforeAll
    static void loadCapture() throws IOException {
        Map<String, List<ParsedRecord>> open = new LinkedHashMap<>();
        events = new ArrayList<>();
        for (ParsedRecord p : TestLines.parseFile("testdata/real-enriched.log")) {
            if (p.record().type().isUserSpace()) {
                events.add(List.of(p));
                continue;
            }
            String key = p.node() + " " + p.id();
            List<ParsedRecord> records = open.computeIfAbsent(key, k -> new ArrayList<>());
            records.add(p);
            if (p.record().type() == RecordType.EOE) {
                events.add(open.remove(key));
            }
        }
        assertThat(open).as("every kernel event of the capture has its EOE").isEmpty();
        assertThat(events).hasSize(1076);
        sequential = assemble(flatten(events));
        List<ParsedRecord> twoNodes = new ArrayList<>(flatten(events));
        twoNodes.addAll(flatten(onNode(events, "other")));
        sequentialTwoNodes = assemble(twoNodes);
    }

    @Test
    void interleavedEventsAssembleAsSequentialOnes() {
        String fixed = System.getProperty("laurel.seed");
        long base = fixed != null ? Long.parseLong(fixed) : new Random().nextLong();
        int runs = fixed != null ? 1 : RUNS;
        for (int run = 0; run < runs; run++) {
            long seed = base + run;
            Random random = new Random(seed);
            boolean twoNodes = random.nextBoolean();
            List<List<ParsedRecord>> input = new ArrayList<>(events);
            if (twoNodes) {
                input.addAll(onNode(events, "other"));
                input.sort((a, b) -> a.get(0).id().compareTo(b.get(0).id()));
            }
            List<ParsedRecord> records = interleave(input, random);

            List<AuditEvent> out = new ArrayList<>();
            EventAssembler assembler = new EventAssembler(out::add);
            records.forEach(assembler::accept);
            int beforeFlush = out.size();
            assembler.flush();

            String why = "seed " + seed + " (repeat with -Dlaurel.seed=" + seed + ")";
            assertThat(beforeFlush).as(why).isEqualTo(input.size());
            assertThat(assembler.incompleteEvents()).as(why).isZero();
            assertThat(assembler.lateRecords()).as(why).isZero();
            assertThat(assembler.orphanEoes()).as(why).isZero();
            assertThat(sorted(contents(out))).as(why)
                    .isEqualTo(twoNodes ? sequentialTwoNodes : sequential);
        }
    }

    /**
     * A random interleaving: up to K events are open at once (K random per run); the next record
     * comes from a random open event, except that an event that has started is finished first
     * when the record would be a wait or more later than it.
     */
    private static List<ParsedRecord> interleave(List<List<ParsedRecord>> input, Random random) {
        int window = 1 + random.nextInt(random.nextBoolean() ? 4 : 60);
        List<ParsedRecord> out = new ArrayList<>();
        List<List<ParsedRecord>> open = new ArrayList<>();
        List<Integer> cursor = new ArrayList<>();
        int next = 0;
        while (next < input.size() || !open.isEmpty()) {
            while (open.size() < window && next < input.size()) {
                open.add(input.get(next++));
                cursor.add(0);
            }
            int pick = random.nextInt(open.size());
            long time = open.get(pick).get(0).id().epochMillis();
            for (int i = 0; i < open.size(); i++) {
                long started = open.get(i).get(0).id().epochMillis();
                if (cursor.get(i) > 0 && time >= started + EVENT_TIME_WAIT) {
                    pick = i;
                    time = started;
                }
            }
            List<ParsedRecord> event = open.get(pick);
            int at = cursor.get(pick);
            out.add(event.get(at));
            if (at + 1 == event.size()) {
                open.remove(pick);
                cursor.remove(pick);
            } else {
                cursor.set(pick, at + 1);
            }
        }
        return out;
    }

    private static List<List<ParsedRecord>> onNode(List<List<ParsedRecord>> events, String node) {
        List<List<ParsedRecord>> copy = new ArrayList<>();
        for (List<ParsedRecord> event : events) {
            List<ParsedRecord> records = new ArrayList<>();
            for (ParsedRecord p : event) {
                records.add(new ParsedRecord(node, p.id(), p.record()));   // the assembler does not change records
            }
            copy.add(records);
        }
        return copy;
    }

    private static List<ParsedRecord> flatten(List<List<ParsedRecord>> events) {
        List<ParsedRecord> all = new ArrayList<>();
        events.forEach(all::addAll);
        return all;
    }

    private static List<String> assemble(List<ParsedRecord> records) {
        List<AuditEvent> out = new ArrayList<>();
        EventAssembler assembler = new EventAssembler(out::add);
        records.forEach(assembler::accept);
        assembler.flush();
        return sorted(contents(out));
    }

    private static List<String> sorted(List<String> list) {
        Collections.sort(list);
        return list;
    }

    /** Each event as node, id and the contents of its records. */
    private static List<String> contents(List<AuditEvent> out) {
        List<String> all = new ArrayList<>(out.size());
        for (AuditEvent e : out) {
            StringBuilder sb = new StringBuilder().append(e.node()).append(' ').append(e.id());
            for (Record r : e.records()) {
                sb.append('\n').append(r.type() == RecordType.EXECVE ? content(r) : CONTENT.computeIfAbsent(r, EventAssemblerPropertyTest::content));
            }
            all.add(sb.toString());
        }
        return all;
    }

    private static String content(Record r) {
        StringBuilder sb = new StringBuilder(r.type().name());
        for (int i = 0; i < r.size(); i++) {
            sb.append(' ').append(r.name(i)).append('=').append(r.value(i));
        }
        return sb.toString();
    }
}
