package dev.laurel.engine.assemble;

import dev.laurel.engine.parse.LineParser;
import dev.laurel.engine.parse.ParsedRecord;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SerialOrderTest {

    /** What the two stages saw, by serial. */
    private static final class Seen {
        final List<Long> processed = new ArrayList<>();
        final List<Long> written = new ArrayList<>();
        final List<Long> completed = new ArrayList<>();
        SerialOrder order;
        EventAssembler assembler;

        Seen(SerialOrder.Limits limits) {
            order = new SerialOrder(e -> processed.add(e.id().serial()), e -> {
                assertThat(processed).as("written after processed").contains(e.id().serial());
                written.add(e.id().serial());
            }, limits);
            assembler = new EventAssembler(e -> {
                completed.add(e.id().serial());
                order.complete(e);
            }, new EventAssembler.Limits(100_000, java.time.Duration.ofDays(1), java.time.Duration.ofDays(1)));
        }

        void feed(ParsedRecord r) {
            order.record(r);
            assembler.accept(r);
        }

        void end() {
            assembler.flush();
            order.flush();
        }
    }

    private static final LineParser PARSER = new LineParser();

    private static ParsedRecord parse(String line) {
        byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
        ParsedRecord r = PARSER.parse(b, 0, b.length);
        assertThat(r).as(line).isNotNull();
        return r;
    }

    private static void feedFile(Seen seen, Path file) throws IOException {
        for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                seen.feed(parse(line));
            }
        }
        seen.end();
    }

    private static ParsedRecord syscall(long serial) {
        return parse("type=SYSCALL msg=audit(1700000000.000:" + serial + "): arch=c000003e syscall=1 success=yes"
                + " exit=1 ppid=1 pid=100 comm=\"x\" exe=\"/x\" key=(null)");
    }

    private static ParsedRecord cwd(long serial) {
        return parse("type=CWD msg=audit(1700000000.000:" + serial + "): cwd=\"/\"");
    }

    private static ParsedRecord eoe(long serial) {
        return parse("type=EOE msg=audit(1700000000.000:" + serial + "): ");
    }

    @Test
    void childEventsCompletingBeforeTheirParentsAreProcessedInSerialOrderAndWrittenAsTheyCompleted()
            throws IOException {
        Seen seen = new Seen(SerialOrder.Limits.DEFAULTS);
        feedFile(seen, TestData.fixture("shell-proc-trace-reordered"));

        assertThat(seen.processed).containsExactly(29237L, 29238L, 29239L, 29240L, 29241L, 29242L, 29243L,
                29244L, 29245L);
        assertThat(seen.written).containsExactly(29245L, 29244L, 29243L, 29242L, 29241L, 29240L, 29239L,
                29238L, 29237L);
        assertThat(seen.written).isEqualTo(seen.completed);
        assertThat(seen.order.held()).isZero();
    }

    @Test
    void theRealCaptureIsWrittenInCompletionOrderAndOnlyItsTwoLateEoesWait() throws IOException {
        Seen seen = new Seen(SerialOrder.Limits.DEFAULTS);
        feedFile(seen, TestData.capture());

        assertThat(seen.written).hasSize(1076).isEqualTo(seen.completed);
        // 315 and 587 complete before 314 and 586 (a clone whose EOE comes late): processed after them
        List<Long> expected = new ArrayList<>(seen.completed);
        swap(expected, 315L, 314L);
        swap(expected, 587L, 586L);
        assertThat(seen.processed).isEqualTo(expected);
        assertThat(seen.order.summary()).startsWith("2 events waited");
    }

    private static void swap(List<Long> list, long a, long b) {
        int i = list.indexOf(a);
        int j = list.indexOf(b);
        assertThat(j).isEqualTo(i + 1);
        list.set(i, b);
        list.set(j, a);
    }

    @Test
    void eventsWithoutAPendingPredecessorPassStraightThrough() {
        Seen seen = new Seen(SerialOrder.Limits.DEFAULTS);
        seen.feed(syscall(5));
        seen.feed(eoe(5));
        // a pending event without its SYSCALL record yet is no reason to wait
        seen.feed(cwd(6));
        seen.feed(syscall(7));
        seen.feed(eoe(7));
        assertThat(seen.written).containsExactly(5L, 7L);
        // nor is a pending event with a higher serial
        seen.feed(syscall(9));
        seen.feed(syscall(8));
        seen.feed(eoe(8));
        assertThat(seen.written).containsExactly(5L, 7L, 8L);
        assertThat(seen.order.held()).isZero();
    }

    @Test
    void atMostMaxHeldEventsWaitForAPredecessorThatNeverCompletes() {
        Seen seen = new Seen(new SerialOrder.Limits(3, 1_000_000));
        seen.feed(syscall(1));      // its EOE never comes
        for (long s = 2; s <= 10; s++) {
            seen.feed(syscall(s));
            seen.feed(eoe(s));
            assertThat(seen.order.held()).isLessThanOrEqualTo(3);
        }
        // the fourth waiting event gave up on serial 1; from then on nothing waits
        assertThat(seen.written).containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(seen.order.summary()).endsWith("1 waits given up");
        seen.end();
        assertThat(seen.written).containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 1L);
    }

    @Test
    void aHeldEventIsReleasedOnceItWaitedLongerThanTheLimit() {
        Seen seen = new Seen(new SerialOrder.Limits(1000, 100));
        seen.feed(syscall(1));
        seen.feed(syscall(2));
        seen.feed(eoe(2));
        seen.order.expire(1_000);          // stamps it
        seen.order.expire(1_100);
        assertThat(seen.written).isEmpty();
        seen.order.expire(1_101);
        assertThat(seen.written).containsExactly(2L);
        seen.feed(eoe(1));
        assertThat(seen.written).containsExactly(2L, 1L);
        assertThat(seen.processed).containsExactly(2L, 1L);
    }

    /**
     * Random interleavings: every event is processed once and written once, writes follow
     * completion order, and an event whose SYSCALL record came before a later serial completed
     * is processed before it (no wait is given up here).
     */
    @Test
    void randomInterleavingsProcessInSerialOrderAndWriteInCompletionOrder() {
        long base = Long.getLong("laurel.seed", System.nanoTime());
        for (int run = 0; run < 300; run++) {
            long seed = base + run;
            Random random = new Random(seed);
            int n = 2 + random.nextInt(40);
            // each event: SYSCALL or not, then CWD, then EOE; records of different events interleave
            List<List<ParsedRecord>> events = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                List<ParsedRecord> recs = new ArrayList<>();
                if (random.nextInt(4) != 0) {
                    recs.add(syscall(i));
                }
                recs.add(cwd(i));
                recs.add(eoe(i));
                events.add(recs);
            }
            Seen seen = new Seen(SerialOrder.Limits.DEFAULTS);
            Map<Long, Integer> syscallAt = new HashMap<>();
            Map<Long, Integer> completedAt = new HashMap<>();
            int[] next = new int[n];
            int step = 0;
            int started = 0;
            List<Integer> open = new ArrayList<>();
            while (started < n || !open.isEmpty()) {
                int pick;
                if (started < n && (open.isEmpty() || random.nextInt(3) == 0)) {
                    pick = started++;     // events start in serial order, as the kernel writes them
                    open.add(pick);
                } else {
                    pick = open.get(random.nextInt(open.size()));
                }
                ParsedRecord r = events.get(pick).get(next[pick]++);
                long serial = pick + 1;
                if (r.record().type() == dev.laurel.api.RecordType.SYSCALL) {
                    syscallAt.put(serial, step);
                }
                if (next[pick] == events.get(pick).size()) {
                    open.remove(Integer.valueOf(pick));
                    completedAt.put(serial, step);
                }
                seen.feed(r);
                step++;
            }
            seen.end();
            String why = "seed " + seed;
            assertThat(seen.written).as(why).isEqualTo(seen.completed).hasSize(n).doesNotHaveDuplicates();
            assertThat(seen.processed).as(why).hasSize(n).doesNotHaveDuplicates();
            for (long a = 1; a <= n; a++) {
                for (long b = a + 1; b <= n; b++) {
                    Integer sa = syscallAt.get(a);
                    if (sa != null && sa < completedAt.get(b)) {
                        assertThat(seen.processed.indexOf(a)).as(why + ": " + a + " before " + b)
                                .isLessThan(seen.processed.indexOf(b));
                    }
                }
            }
        }
    }

    @Test
    void eventsOfDifferentNodesDoNotWaitForEachOther() {
        Seen seen = new Seen(SerialOrder.Limits.DEFAULTS);
        seen.feed(parse("node=a type=SYSCALL msg=audit(1700000000.000:1): arch=c000003e syscall=1 success=yes exit=1"
                + " ppid=1 pid=100 comm=\"x\" exe=\"/x\" key=(null)"));
        seen.feed(parse("node=b type=SYSCALL msg=audit(1700000000.000:2): arch=c000003e syscall=1 success=yes exit=1"
                + " ppid=1 pid=100 comm=\"x\" exe=\"/x\" key=(null)"));
        seen.feed(parse("node=b type=EOE msg=audit(1700000000.000:2): "));
        assertThat(seen.written).containsExactly(2L);
        seen.feed(parse("node=a type=SYSCALL msg=audit(1700000000.000:3): arch=c000003e syscall=1 success=yes exit=1"
                + " ppid=1 pid=100 comm=\"x\" exe=\"/x\" key=(null)"));
        seen.feed(parse("node=a type=EOE msg=audit(1700000000.000:3): "));
        assertThat(seen.written).containsExactly(2L);
        seen.feed(parse("node=a type=EOE msg=audit(1700000000.000:1): "));
        assertThat(seen.written).containsExactly(2L, 3L, 1L);
        assertThat(seen.processed).containsExactly(2L, 1L, 3L);
    }

    @Test
    void aStreamNamingThousandsOfNodesKeepsFewEntries() {
        Seen seen = new Seen(SerialOrder.Limits.DEFAULTS);
        for (int n = 0; n < 5_000; n++) {
            seen.feed(parse("node=h" + n + " type=SYSCALL msg=audit(1700000000.000:" + n + "): arch=c000003e"
                    + " syscall=1 success=yes exit=1 ppid=1 pid=100 comm=\"x\" exe=\"/x\" key=(null)"));
            seen.feed(parse("node=h" + n + " type=EOE msg=audit(1700000000.000:" + n + "): "));
        }
        assertThat(seen.written).hasSize(5_000);
        assertThat(seen.order.nodes()).isLessThanOrEqualTo(SerialOrder.MANY_NODES + 1);
    }
}
