package dev.laurel.engine.assemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laurel.api.AuditEvent;
import dev.laurel.api.Encoding;
import dev.laurel.api.EventId;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.engine.parse.ParsedRecord;
import dev.laurel.engine.testkit.TestData;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventAssemblerTest {
    private static final String CAPTURE = "testdata/real-enriched.log";
    private static final String REFERENCE = "testdata/real-enriched.laurel-0.5.1.jsonl";

    private final List<AuditEvent> out = new ArrayList<>();

    private static EventAssembler.Limits limits(int pending, long eventMillis, long wallMillis) {
        return new EventAssembler.Limits(pending, Duration.ofMillis(eventMillis), Duration.ofMillis(wallMillis));
    }

    private static void feed(EventAssembler assembler, String... lines) {
        for (String line : lines) {
            assembler.accept(TestLines.parse(line));
        }
    }

    private List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (AuditEvent e : out) {
            ids.add(e.id().toString());
        }
        return ids;
    }

    private static List<String> types(AuditEvent e) {
        List<String> types = new ArrayList<>();
        for (Record r : e.records()) {
            types.add(r.type().name());
        }
        return types;
    }

    /** The bytes an ARGV item stands for. */
    private static byte[] decoded(Value v) {
        if (v instanceof Value.Token t) {
            return t.decoded();
        }
        return ((Value.Text) v).bytes();
    }

    private static List<String> argv(AuditEvent e) {
        Record exec = e.first(RecordType.EXECVE);
        List<String> args = new ArrayList<>();
        for (Value v : ((Value.ListValue) exec.get("ARGV")).items()) {
            args.add(new String(decoded(v), StandardCharsets.UTF_8));
        }
        return args;
    }

    /** LAUREL writes bytes that are not printable ASCII, and '%', as %XX. */
    private static byte[] unescapeLaurel(String s) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0
                    && Character.digit(s.charAt(i + 2), 16) >= 0) {
                b.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                b.write(c);
            }
        }
        return b.toByteArray();
    }

    // ---- the real capture ----

    @Test
    void assemblesRealCaptureIntoLaurelsEventsKeepingEveryRecordOnce() throws IOException {
        List<ParsedRecord> input = TestLines.parseFile(CAPTURE);
        EventAssembler assembler = new EventAssembler(out::add);
        input.forEach(assembler::accept);
        int beforeFlush = out.size();
        assembler.flush();

        assertThat(input).hasSize(5199);
        assertThat(beforeFlush).as("all events complete before end of input").isEqualTo(1076);
        assertThat(out).hasSize(1076);
        long lone = out.stream().filter(e -> e.records().size() == 1 && e.records().get(0).type().isUserSpace()).count();
        assertThat(lone).isEqualTo(6);
        assertThat(out.size() - lone).isEqualTo(1070);
        assertThat(assembler.incompleteEvents()).as("kernel events closed by their EOE").isZero();
        assertThat(assembler.orphanEoes()).isZero();
        assertThat(assembler.lateRecords()).isZero();
        assertThat(assembler.pending()).isZero();

        // Every input record but EOE is in exactly one event, under its own id and node.
        Map<Record, ParsedRecord> inputByRecord = new IdentityHashMap<>();
        Map<String, List<ParsedRecord>> execvesByEvent = new HashMap<>();
        int eoes = 0;
        for (ParsedRecord p : input) {
            if (p.record().type() == RecordType.EOE) {
                eoes++;
            } else if (p.record().type() == RecordType.EXECVE) {
                execvesByEvent.computeIfAbsent(p.node() + " " + p.id(), k -> new ArrayList<>()).add(p);
            } else {
                inputByRecord.put(p.record(), p);
            }
        }
        assertThat(eoes).isEqualTo(1070);
        Map<Record, Integer> seen = new IdentityHashMap<>();
        int mergedExecves = 0;
        for (AuditEvent e : out) {
            assertThat(e.records()).isNotEmpty();
            for (Record r : e.records()) {
                assertThat(r.type()).isNotEqualTo(RecordType.EOE);
                if (r.type() == RecordType.EXECVE) {
                    List<ParsedRecord> parts = execvesByEvent.remove(e.node() + " " + e.id());
                    assertThat(parts).as("EXECVE of %s", e.id()).isNotNull();
                    assertThat(r.line()).isSameAs(parts.get(0).record().line());
                    mergedExecves++;
                    continue;
                }
                ParsedRecord from = inputByRecord.get(r);
                assertThat(from).as("record %s of %s comes from the input", r.type(), e.id()).isNotNull();
                assertThat(from.id()).isEqualTo(e.id());
                assertThat(from.node()).isEqualTo(e.node());
                seen.merge(r, 1, Integer::sum);
            }
        }
        assertThat(seen).hasSameSizeAs(inputByRecord);
        assertThat(seen.values()).containsOnly(1);
        assertThat(execvesByEvent).as("every event with EXECVE records has one merged EXECVE").isEmpty();
        assertThat(mergedExecves + assembler.foldedExecveRecords()).isEqualTo(204);
    }

    @Test
    void emitsEventsInLaurelsOrder() throws IOException {
        EventAssembler assembler = new EventAssembler(out::add);
        TestLines.parseFile(CAPTURE).forEach(assembler::accept);
        assembler.flush();

        ObjectMapper json = new ObjectMapper();
        List<String> reference = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(TestData.root().resolve(REFERENCE))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                reference.add(json.readTree(line).get("ID").asText());
            }
        }
        assertThat(ids()).containsExactlyElementsOf(reference);
    }

    @Test
    void assemblesExecveArgumentsAsLaurelDoes() throws IOException {
        EventAssembler assembler = new EventAssembler(out::add);
        TestLines.parseFile(CAPTURE).forEach(assembler::accept);
        assembler.flush();

        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> referenceExecve = new HashMap<>();
        try (BufferedReader r = Files.newBufferedReader(TestData.root().resolve(REFERENCE))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                JsonNode event = json.readTree(line);
                if (event.has("EXECVE")) {
                    referenceExecve.put(event.get("ID").asText(), event.get("EXECVE"));
                }
            }
        }
        int events = 0;
        int compared = 0;
        for (AuditEvent e : out) {
            Record exec = e.first(RecordType.EXECVE);
            if (exec == null) {
                continue;
            }
            events++;
            JsonNode ref = referenceExecve.get(e.id().toString());
            assertThat(ref).as("LAUREL has EXECVE for %s", e.id()).isNotNull();
            assertThat(((Value.Token) exec.get("argc")).rawString()).isEqualTo(ref.get("argc").asText());
            List<Value> items = ((Value.ListValue) exec.get("ARGV")).items();
            JsonNode refArgv = ref.get("ARGV");
            assertThat(items).as("ARGV of %s", e.id()).hasSize(refArgv.size());
            for (int i = 0; i < items.size(); i++) {
                String expected = refArgv.get(i).asText();
                if (expected.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                    assertThat(decoded(items.get(i))).as("ARGV[%d] of %s", i, e.id())
                            .isEqualTo(unescapeLaurel(expected));
                    compared++;
                }
            }
        }
        assertThat(events).isEqualTo(referenceExecve.size());
        assertThat(compared).isGreaterThan(3000 + 2);

        AuditEvent longArg = out.stream().filter(e -> e.id().toString().equals("1795636828.095:627")).findFirst().orElseThrow();
        List<String> args = argv(longArg);
        assertThat(args).hasSize(2);
        assertThat(args.get(0)).isEqualTo("/bin/true");
        assertThat(args.get(1)).hasSize(20_000).matches("x+");
        Value joined = ((Value.ListValue) longArg.first(RecordType.EXECVE).get("ARGV")).items().get(1);
        assertThat(joined).isInstanceOfSatisfying(Value.Token.class, t -> assertThat(t.encoding()).isEqualTo(Encoding.HEX));
        assertThat(longArg.first(RecordType.EXECVE).get("a1_len")).isNull();

        AuditEvent manyArgs = out.stream().filter(e -> e.id().toString().equals("1795636828.087:620")).findFirst().orElseThrow();
        List<String> many = argv(manyArgs);
        assertThat(many).hasSize(3001);
        assertThat(many.get(0)).isEqualTo("/bin/true");
        for (int i = 1; i <= 3000; i++) {
            assertThat(many.get(i)).isEqualTo(Integer.toString(i));
        }
        assertThat(types(manyArgs)).containsOnlyOnce("EXECVE");
    }

    @Test
    void joinsLaurelsLongExecveFixture() throws IOException {
        EventAssembler assembler = new EventAssembler(out::add);
        TestLines.parseFile("testdata/laurel-fixtures/record-execve-long.txt").forEach(assembler::accept);
        assembler.flush();
        JsonNode ref = new ObjectMapper().readTree(
                TestData.root().resolve("testdata/laurel-fixtures/record-execve-long.json").toFile());

        assertThat(out).hasSize(1);
        List<String> expected = new ArrayList<>();
        ref.get("EXECVE").get("ARGV").forEach(n -> expected.add(n.asText()));
        assertThat(argv(out.get(0))).containsExactlyElementsOf(expected);
        assertThat(expected.get(1)).hasSize(8192);
        Record exec = out.get(0).first(RecordType.EXECVE);
        assertThat(exec.size()).isEqualTo(2);
        assertThat(exec.name(0)).isEqualTo("argc");
        assertThat(exec.name(1)).isEqualTo("ARGV");
    }

    // ---- completion rules ----

    @Test
    void emitsKernelEventAtEoeWithoutTheEoe() {
        EventAssembler assembler = new EventAssembler(out::add);
        feed(assembler,
                "node=a type=SYSCALL msg=audit(1000.000:1): pid=1",
                "node=a type=CWD msg=audit(1000.000:1): cwd=\"/\"");
        assertThat(out).isEmpty();
        assertThat(assembler.pending()).isEqualTo(1);
        feed(assembler, "node=a type=EOE msg=audit(1000.000:1):");
        assertThat(out).hasSize(1);
        assertThat(out.get(0).node()).isEqualTo("a");
        assertThat(types(out.get(0))).containsExactly("SYSCALL", "CWD");
        assertThat(assembler.pending()).isZero();
        assertThat(assembler.incompleteEvents()).isZero();
    }

    @Test
    void userSpaceRecordSharingIdWithKernelEventIsAnEventAtOnce() {
        EventAssembler assembler = new EventAssembler(out::add);
        feed(assembler,
                "type=SYSCALL msg=audit(1000.000:7): pid=1",
                "type=USER_START msg=audit(1000.000:7): pid=1 msg='op=PAM:session_open res=success'");
        assertThat(out).hasSize(1);
        assertThat(types(out.get(0))).containsExactly("USER_START");
        assertThat(assembler.pending()).isEqualTo(1);
        feed(assembler,
                "type=PATH msg=audit(1000.000:7): item=0",
                "type=EOE msg=audit(1000.000:7):");
        assertThat(out).hasSize(2);
        assertThat(types(out.get(1))).containsExactly("SYSCALL", "PATH");
        assertThat(ids()).containsExactly("1000.000:7", "1000.000:7");
    }

    @Test
    void sameIdOnAnotherNodeIsAnotherEvent() {
        EventAssembler assembler = new EventAssembler(out::add);
        feed(assembler,
                "node=a type=SYSCALL msg=audit(1000.000:1): pid=1",
                "node=b type=SYSCALL msg=audit(1000.000:1): pid=2",
                "type=SYSCALL msg=audit(1000.000:1): pid=3",
                "node=b type=EOE msg=audit(1000.000:1):");
        assertThat(out).hasSize(1);
        assertThat(out.get(0).node()).isEqualTo("b");
        assertThat(out.get(0).records().get(0).getLong("pid", -1)).isEqualTo(2);
        assertThat(assembler.pending()).isEqualTo(2);
    }

    @Test
    void interleavedEventsKeepTheirOwnRecordOrder() {
        EventAssembler assembler = new EventAssembler(out::add);
        feed(assembler,
                "type=SYSCALL msg=audit(1000.000:1): pid=1",
                "type=SYSCALL msg=audit(1000.001:2): pid=2",
                "type=CWD msg=audit(1000.000:1): cwd=\"/a\"",
                "type=CWD msg=audit(1000.001:2): cwd=\"/b\"",
                "type=PATH msg=audit(1000.001:2): item=0",
                "type=EOE msg=audit(1000.001:2):",
                "type=PATH msg=audit(1000.000:1): item=0",
                "type=EOE msg=audit(1000.000:1):");
        assertThat(ids()).containsExactly("1000.001:2", "1000.000:1");
        assertThat(types(out.get(0))).containsExactly("SYSCALL", "CWD", "PATH");
        assertThat(types(out.get(1))).containsExactly("SYSCALL", "CWD", "PATH");
        assertThat(new String(out.get(1).records().get(1).decoded("cwd"), StandardCharsets.US_ASCII)).isEqualTo("/a");
    }

    // ---- waits ----

    @Test
    void expiresEventByEventTimeOnlyOnceARecordIsWaitLater() {
        EventAssembler assembler = new EventAssembler(out::add, limits(100, 3000, 5000));
        feed(assembler,
                "type=SYSCALL msg=audit(1000.000:1): pid=1",
                "type=SYSCALL msg=audit(1001.500:2): pid=2",
                "type=SYSCALL msg=audit(1002.999:3): pid=3");
        assertThat(out).isEmpty();
        feed(assembler, "type=SYSCALL msg=audit(1003.000:4): pid=4");
        assertThat(ids()).containsExactly("1000.000:1");
        assertThat(assembler.incompleteEvents()).isEqualTo(1);
        assertThat(assembler.pending()).isEqualTo(3);
        // An earlier time (clock set back) expires nothing.
        feed(assembler, "type=SYSCALL msg=audit(900.000:5): pid=5");
        assertThat(out).hasSize(1);
        // A user-space record moves event time too and comes after the events it expires, which
        // come oldest (first arrived) first.
        feed(assembler, "type=USER_LOGIN msg=audit(1004.600:9): pid=1 msg='op=login res=success'");
        assertThat(ids()).containsExactly("1000.000:1", "1001.500:2", "900.000:5", "1004.600:9");
        assertThat(assembler.pending()).isEqualTo(2);
    }

    @Test
    void eventTimeExpiryStillWorksAfterTheOldestEventCompleted() {
        EventAssembler assembler = new EventAssembler(out::add, limits(100, 3000, 5000));
        feed(assembler,
                "type=SYSCALL msg=audit(1000.000:1): pid=1",
                "type=SYSCALL msg=audit(1002.000:2): pid=2",
                "type=EOE msg=audit(1000.000:1):",
                "type=SYSCALL msg=audit(1004.000:3): pid=3");
        assertThat(ids()).containsExactly("1000.000:1");
        feed(assembler, "type=SYSCALL msg=audit(1004.999:4): pid=4");
        assertThat(ids()).containsExactly("1000.000:1");
        feed(assembler, "type=SYSCALL msg=audit(1005.000:5): pid=5");
        assertThat(ids()).containsExactly("1000.000:1", "1002.000:2");
    }

    @Test
    void expiresEventByWallClockCountedFromTheFirstExpireAfterItsLastRecord() {
        EventAssembler assembler = new EventAssembler(out::add, limits(100, 3000, 5000));
        feed(assembler, "type=SYSCALL msg=audit(1000.000:1): pid=1");
        assembler.expire(10_000);      // stamps the event
        feed(assembler, "type=SYSCALL msg=audit(1000.000:2): pid=2");
        assembler.expire(15_000);      // 5000 after the stamp: not longer than the wait
        assertThat(out).isEmpty();
        assembler.expire(15_001);
        assertThat(ids()).containsExactly("1000.000:1");
        // Event 2 was stamped at 15_000; a new record restarts its wait.
        feed(assembler, "type=CWD msg=audit(1000.000:2): cwd=\"/\"");
        assembler.expire(20_001);      // restamps at 20_001
        assertThat(out).hasSize(1);
        assembler.expire(25_001);
        assertThat(out).hasSize(1);
        assembler.expire(25_002);
        assertThat(ids()).containsExactly("1000.000:1", "1000.000:2");
        assertThat(types(out.get(1))).containsExactly("SYSCALL", "CWD");
        assertThat(assembler.incompleteEvents()).isEqualTo(2);
    }

    @Test
    void wallClockGoingBackRestampsInsteadOfWaitingForever() {
        EventAssembler assembler = new EventAssembler(out::add, limits(100, 3000, 5000));
        feed(assembler, "type=SYSCALL msg=audit(1000.000:1): pid=1");
        assembler.expire(1_000_000);
        assembler.expire(10_000);      // clock went back an hour or so: restamp
        assembler.expire(15_000);
        assertThat(out).isEmpty();
        assembler.expire(15_001);
        assertThat(out).hasSize(1);
    }

    @Test
    void pendingLimitEmitsTheOldestEvent() {
        EventAssembler assembler = new EventAssembler(out::add, limits(2, 3000, 5000));
        feed(assembler,
                "type=SYSCALL msg=audit(1000.005:1): pid=1",
                "type=SYSCALL msg=audit(1000.001:2): pid=2",
                "type=CWD msg=audit(1000.005:1): cwd=\"/\"");
        assertThat(out).isEmpty();
        feed(assembler, "type=SYSCALL msg=audit(1000.000:3): pid=3");
        assertThat(ids()).containsExactly("1000.005:1");
        assertThat(types(out.get(0))).containsExactly("SYSCALL", "CWD");
        assertThat(assembler.pending()).isEqualTo(2);
        feed(assembler, "type=EOE msg=audit(1000.000:3):");
        assertThat(ids()).containsExactly("1000.005:1", "1000.000:3");
    }

    @Test
    void flushEmitsPendingEventsOldestFirst() {
        EventAssembler assembler = new EventAssembler(out::add);
        feed(assembler,
                "type=SYSCALL msg=audit(1000.003:3): pid=3",
                "type=SYSCALL msg=audit(1000.001:1): pid=1",
                "type=SYSCALL msg=audit(1000.002:2): pid=2",
                "type=PATH msg=audit(1000.003:3): item=0");
        assembler.flush();
        assertThat(ids()).containsExactly("1000.003:3", "1000.001:1", "1000.002:2");
        assertThat(types(out.get(0))).containsExactly("SYSCALL", "PATH");
        assertThat(assembler.pending()).isZero();
        assertThat(assembler.incompleteEvents()).isEqualTo(3);
        assembler.flush();
        assertThat(out).hasSize(3);
    }

    // ---- late and stray records ----

    private final List<String> rejected = new ArrayList<>();

    private EventAssembler rejecting(EventAssembler.Limits limits) {
        return new EventAssembler(out::add, limits, (record, reason) ->
                rejected.add(new String(record.record().line(), StandardCharsets.UTF_8) + " | " + reason));
    }

    @Test
    void recordAfterItsEventsEoeIsASecondEventWithThatIdAsLaurelWritesIt() {
        EventAssembler assembler = rejecting(EventAssembler.Limits.DEFAULTS);
        feed(assembler,
                "type=SYSCALL msg=audit(1000.000:1): pid=1",
                "type=EOE msg=audit(1000.000:1):",
                "type=PROCTITLE msg=audit(1000.000:1): proctitle=6C73");
        assertThat(ids()).containsExactly("1000.000:1");
        assembler.flush();
        assertThat(ids()).containsExactly("1000.000:1", "1000.000:1");
        assertThat(types(out.get(0))).containsExactly("SYSCALL");
        assertThat(types(out.get(1))).containsExactly("PROCTITLE");
        assertThat(rejected).isEmpty();
        assertThat(assembler.rejectedRecords()).isZero();
        assertThat(assembler.lateRecords()).isEqualTo(1);
    }

    @Test
    void replayedEventIsWrittenAgainAsLaurelWritesIt() {
        EventAssembler assembler = rejecting(EventAssembler.Limits.DEFAULTS);
        String[] event = {
            "type=SYSCALL msg=audit(1000.000:1): pid=1",
            "type=EOE msg=audit(1000.000:1):"};
        feed(assembler, event);
        feed(assembler, event);
        feed(assembler, "type=EOE msg=audit(1000.000:1):");
        assertThat(ids()).containsExactly("1000.000:1", "1000.000:1");
        assertThat(types(out.get(1))).containsExactly("SYSCALL");
        assertThat(rejected).containsExactly(
                "type=EOE msg=audit(1000.000:1): | EOE for an event already completed by its EOE");
    }

    @Test
    void duplicateRecordsInAPendingEventAreRejectedButNotOtherRecordsOfTheSameType() {
        EventAssembler assembler = rejecting(EventAssembler.Limits.DEFAULTS);
        feed(assembler,
                "type=SYSCALL msg=audit(1000.000:1): pid=1",
                "type=PATH msg=audit(1000.000:1): item=0 name=\"a\"",
                "type=PATH msg=audit(1000.000:1): item=0 name=\"a\"",
                "type=PATH msg=audit(1000.000:1): item=1 name=\"b\"",
                "type=SYSCALL msg=audit(1000.000:1): pid=1 uid=0",
                "type=EOE msg=audit(1000.000:1):");
        // a second SYSCALL with other values stays, as in LAUREL (its fields are merged there)
        assertThat(types(out.get(0))).containsExactly("SYSCALL", "PATH", "PATH", "SYSCALL");
        assertThat(out.get(0).records().get(2).get("item").toString()).isEqualTo("BARE:1");
        assertThat(rejected).containsExactly(
                "type=PATH msg=audit(1000.000:1): item=0 name=\"a\" | duplicate of a record of its event");
    }

    @Test
    void typesLaurelWritesAsSingleRecordEventsAreEventsAtOnceEvenInsideAKernelEvent() {
        EventAssembler assembler = rejecting(EventAssembler.Limits.DEFAULTS);
        feed(assembler,
                "type=CWD msg=audit(1000.000:1): cwd=\"/\"",
                "type=UNKNOWN[9999] msg=audit(1000.000:1): foo=bar",
                "type=KERNEL msg=audit(1000.000:1): state=initialized",
                "type=USER msg=audit(1000.000:1): pid=1",
                "type=MAC_MAP_DEL msg=audit(1000.000:1): x=1",
                "type=LOGIN msg=audit(1000.000:1): pid=1",
                "type=PATH msg=audit(1000.000:1): item=0",
                "type=EOE msg=audit(1000.000:1):");
        // LAUREL 0.5.1 collects only 1300-1405, 1420-1999, 2001-2099 and LOGIN (1006) into events
        assertThat(out).hasSize(5);
        assertThat(out.subList(0, 4)).extracting(e -> types(e).toString())
                .containsExactly("[UNKNOWN[9999]]", "[KERNEL]", "[USER]", "[MAC_MAP_DEL]");
        assertThat(types(out.get(4))).containsExactly("CWD", "LOGIN", "PATH");
        assertThat(rejected).isEmpty();
    }

    @Test
    void findsDuplicatesInAnEventOfManyRecordsWithComparisonsLinearInItsSize() {
        // 20,000 records of one event, each compared only with lines that could be its duplicate:
        // a scan of the event per record made 200 million comparisons (100k records took 71 s)
        EventAssembler assembler = rejecting(new EventAssembler.Limits(10, Duration.ofSeconds(3),
                Duration.ofSeconds(5), Long.MAX_VALUE));
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            feed(assembler, "type=PATH msg=audit(1000.000:1): item=" + i + " name=\"/x\"");
        }
        feed(assembler, "type=PATH msg=audit(1000.000:1): item=7 name=\"/x\"",
                "type=PATH msg=audit(1000.000:1): item=19999 name=\"/x\"",
                "type=EOE msg=audit(1000.000:1):");
        assertThat(out).hasSize(1);
        assertThat(out.get(0).records()).hasSize(n);
        assertThat(rejected).containsExactly(
                "type=PATH msg=audit(1000.000:1): item=7 name=\"/x\" | duplicate of a record of its event",
                "type=PATH msg=audit(1000.000:1): item=19999 name=\"/x\" | duplicate of a record of its event");
        assertThat(assembler.duplicateComparisons()).as("lines compared").isLessThan(4L * n);
    }

    @Test
    void duplicateUserSpaceRecordIsRejectedButADifferentOneWithTheSameIdIsNot() {
        EventAssembler assembler = rejecting(EventAssembler.Limits.DEFAULTS);
        feed(assembler,
                "type=USER_START msg=audit(1000.000:7): pid=1 msg='op=login'",
                "type=USER_START msg=audit(1000.000:7): pid=1 msg='op=login'",
                "type=CRED_ACQ msg=audit(1000.000:7): pid=1 msg='op=cred'");
        assertThat(out).hasSize(2);
        assertThat(rejected).containsExactly(
                "type=USER_START msg=audit(1000.000:7): pid=1 msg='op=login' | duplicate of a user-space record");
    }

    @Test
    void eoeForAnUnknownEventIsRejected() {
        EventAssembler assembler = rejecting(EventAssembler.Limits.DEFAULTS);
        feed(assembler,
                "type=EOE msg=audit(1000.000:1):",
                "type=SYSCALL msg=audit(1000.000:2): pid=1",
                "type=EOE msg=audit(1000.000:2):",
                "type=EOE msg=audit(1000.000:2):");
        assertThat(ids()).containsExactly("1000.000:2");
        assertThat(assembler.orphanEoes()).isEqualTo(2);
        assertThat(assembler.pending()).isZero();
        assertThat(rejected).containsExactly(
                "type=EOE msg=audit(1000.000:1): | EOE for an event that is not pending",
                "type=EOE msg=audit(1000.000:2): | EOE for an event already completed by its EOE");
    }

    @Test
    void recordsAndEoeAfterAnEventExpiredContinueItAsANewEvent() {
        EventAssembler assembler = rejecting(limits(1, 3000, 5000));
        feed(assembler,
                "type=SYSCALL msg=audit(1000.000:1): pid=1",
                "type=SYSCALL msg=audit(1000.000:2): pid=2",
                "type=PATH msg=audit(1000.000:1): item=0",
                "type=EOE msg=audit(1000.000:1):",
                "type=EOE msg=audit(1000.000:1):");
        assertThat(ids()).containsExactly("1000.000:1", "1000.000:2", "1000.000:1");
        assertThat(types(out.get(2))).containsExactly("PATH");
        assertThat(assembler.lateRecords()).isEqualTo(1);
        assertThat(assembler.orphanEoes()).isEqualTo(1);
        assertThat(rejected).containsExactly(
                "type=EOE msg=audit(1000.000:1): | EOE for an event already completed by its EOE");
    }

    @Test
    void emitsTheOldestEventsWhenTheirLinesPassTheByteLimit() {
        EventAssembler assembler = rejecting(new EventAssembler.Limits(100, Duration.ofSeconds(3),
                Duration.ofSeconds(5), 100));
        feed(assembler,
                "type=SYSCALL msg=audit(1000.000:1): pid=1 comm=\"aaaaaaaaaaaa\"",   // 61 bytes
                "type=SYSCALL msg=audit(1000.000:2): pid=2 comm=\"bbbbbbbbbbbb\"");
        assertThat(ids()).containsExactly("1000.000:1");
        assertThat(assembler.pendingBytes()).isEqualTo(61);
        feed(assembler, "type=EXECVE msg=audit(1000.000:2): argc=1 a0=\"" + "x".repeat(100) + "\"");
        assertThat(ids()).containsExactly("1000.000:1", "1000.000:2");
        assertThat(assembler.pendingBytes()).isZero();
        assertThat(assembler.incompleteEvents()).isEqualTo(2);
        feed(assembler, "type=EOE msg=audit(1000.000:2):");
        assertThat(rejected).isEmpty();   // the EOE of an event emitted incomplete is benign
    }

    @Test
    void rememberedIdsAreForgottenOldestFirst() {
        EventAssembler assembler = rejecting(EventAssembler.Limits.DEFAULTS);
        for (int i = 0; i <= EventAssembler.RECENT_SLOTS; i++) {
            feed(assembler, "type=SYSCALL msg=audit(1000.000:" + i + "): pid=1", "type=EOE msg=audit(1000.000:" + i + "):");
        }
        feed(assembler, "type=PATH msg=audit(1000.000:1): item=0", "type=PATH msg=audit(1000.000:0): item=0");
        // both start an event; only id 1 is still known as emitted, so only its record is late
        assertThat(rejected).isEmpty();
        assertThat(assembler.pending()).isEqualTo(2);
        assertThat(assembler.lateRecords()).isEqualTo(1);
    }

    /** A record of {@code line} with the given id object, as the parser shares one between an event's lines. */
    private static ParsedRecord withId(EventId id, String line) {
        return new ParsedRecord(null, id, TestLines.parse(line).record());
    }

    @Test
    void idObjectOfAForgottenEventIsLookedUpAfreshWhenItsEntryWasReused() {
        EventAssembler assembler = rejecting(EventAssembler.Limits.DEFAULTS);
        ParsedRecord syscall = TestLines.parse("type=SYSCALL msg=audit(1000.000:1): pid=1");
        EventId id = syscall.id();
        assembler.accept(syscall);
        assembler.accept(withId(id, "type=EOE msg=audit(1000.000:1):"));
        // user-space events only, until id 1 is forgotten and its entry taken for another id
        for (int i = 2; i <= EventAssembler.RECENT_SLOTS + 2; i++) {
            feed(assembler, "type=USER_START msg=audit(1000.000:" + i + "): pid=1");
        }
        assembler.accept(withId(id, "type=PATH msg=audit(1000.000:1): item=0"));
        feed(assembler, "type=CWD msg=audit(1000.000:1): cwd=\"/\"");   // another EventId object
        assertThat(rejected).isEmpty();
        assertThat(assembler.pending()).isEqualTo(1);
        assembler.accept(withId(id, "type=EOE msg=audit(1000.000:1):"));
        AuditEvent last = out.get(out.size() - 1);
        assertThat(last.id().toString()).isEqualTo("1000.000:1");
        assertThat(types(last)).containsExactly("PATH", "CWD");
        assertThat(assembler.pending()).isZero();
    }

    @Test
    void recordsSharingAnIdObjectJoinTheirEventAndStartAnotherAfterItsEoe() {
        EventAssembler assembler = rejecting(EventAssembler.Limits.DEFAULTS);
        ParsedRecord syscall = TestLines.parse("type=SYSCALL msg=audit(1000.000:5): pid=1");
        EventId id = syscall.id();
        assembler.accept(syscall);
        assembler.accept(withId(id, "type=CWD msg=audit(1000.000:5): cwd=\"/\""));
        assembler.accept(withId(id, "type=CWD msg=audit(1000.000:5): cwd=\"/\""));
        assembler.accept(withId(id, "type=EOE msg=audit(1000.000:5):"));
        assembler.accept(withId(id, "type=PATH msg=audit(1000.000:5): item=0"));
        assertThat(out).hasSize(1);
        assertThat(types(out.get(0))).containsExactly("SYSCALL", "CWD");
        assertThat(rejected).containsExactly(
                "type=CWD msg=audit(1000.000:5): cwd=\"/\" | duplicate of a record of its event");
        assembler.accept(withId(id, "type=EOE msg=audit(1000.000:5):"));
        assertThat(out).hasSize(2);
        assertThat(types(out.get(1))).containsExactly("PATH");
    }

    // ---- EXECVE ----

    @Test
    void mergesExecveSplitAcrossRecordsWithHexAndQuotedFragments() {
        EventAssembler assembler = new EventAssembler(out::add);
        feed(assembler,
                "type=SYSCALL msg=audit(1000.000:1): pid=1",
                "type=EXECVE msg=audit(1000.000:1): argc=4 a0=\"ls\" a1_len=8 a1[0]=6162",
                "type=EXECVE msg=audit(1000.000:1):  a1[1]=6364 a2_len=4 a2[0]=\"ef\" a2[1]=\"gh\"",
                "type=CWD msg=audit(1000.000:1): cwd=\"/\"",
                "type=EXECVE msg=audit(1000.000:1):  a3=2D6C20",
                "type=EOE msg=audit(1000.000:1):");
        assertThat(out).hasSize(1);
        AuditEvent e = out.get(0);
        assertThat(types(e)).containsExactly("SYSCALL", "EXECVE", "CWD");
        Record exec = e.first(RecordType.EXECVE);
        assertThat(exec.size()).isEqualTo(2);
        assertThat(((Value.Token) exec.get("argc")).rawString()).isEqualTo("4");
        List<Value> argv = ((Value.ListValue) exec.get("ARGV")).items();
        assertThat(argv).containsExactly(
                new Value.Token("ls".getBytes(StandardCharsets.US_ASCII), Encoding.DOUBLE_QUOTED),
                new Value.Token("61626364".getBytes(StandardCharsets.US_ASCII), Encoding.HEX),
                new Value.Token("efgh".getBytes(StandardCharsets.US_ASCII), Encoding.DOUBLE_QUOTED),
                new Value.Token("2D6C20".getBytes(StandardCharsets.US_ASCII), Encoding.HEX));
        assertThat(argv(e)).containsExactly("ls", "abcd", "efgh", "-l ");
        assertThat(assembler.foldedExecveRecords()).isEqualTo(2);
    }

    @Test
    void mixedFragmentsBecomeDecodedText() {
        EventAssembler assembler = new EventAssembler(out::add);
        feed(assembler,
                "type=EXECVE msg=audit(1000.000:1): argc=2 a0=\"sh\" a1_len=6 a1[0]=612062 a1[1]=\"cd\"",
                "type=EOE msg=audit(1000.000:1):");
        Value arg = ((Value.ListValue) out.get(0).first(RecordType.EXECVE).get("ARGV")).items().get(1);
        assertThat(arg).isEqualTo(Value.text("a bcd"));
    }

    @Test
    void singleRecordExecveKeepsTokensAsWritten() {
        EventAssembler assembler = new EventAssembler(out::add);
        ParsedRecord exec = TestLines.parse("type=EXECVE msg=audit(1000.000:1): argc=2 a0=\"echo\" a1=6869207468657265");
        assembler.accept(exec);
        feed(assembler, "type=EOE msg=audit(1000.000:1):");
        Record merged = out.get(0).first(RecordType.EXECVE);
        assertThat(merged.line()).isSameAs(exec.record().line());
        List<Value> argv = ((Value.ListValue) merged.get("ARGV")).items();
        assertThat(argv.get(0)).isSameAs(exec.record().get("a0"));
        assertThat(argv.get(1)).isSameAs(exec.record().get("a1"));
        assertThat(argv(out.get(0))).containsExactly("echo", "hi there");
        assertThat(exec.record().size()).as("the input record is not changed").isEqualTo(3);
    }

    @Test
    void damagedExecveKeepsWhatIsThere() {
        EventAssembler assembler = new EventAssembler(out::add);
        feed(assembler,
                // a2 missing, a1 fragment 1 missing, a3 out of order and given twice, a4 fragments out of order
                "type=EXECVE msg=audit(1000.000:1): argc=9 a0=\"x\" a1_len=10 a1[0]=\"p\" a1[2]=\"r\" a3=\"c\"",
                "type=EXECVE msg=audit(1000.000:1): a4[1]=\"2\" a3=\"dup\" a4[0]=\"1\" argc=7 a5_len=2 flag=\"kept\"",
                "type=EOE msg=audit(1000.000:1):");
        Record exec = out.get(0).first(RecordType.EXECVE);
        assertThat(((Value.Token) exec.get("argc")).rawString()).isEqualTo("9");
        assertThat(argv(out.get(0))).containsExactly("x", "pr", "c", "12");
        assertThat(exec.name(2)).isEqualTo("flag");
        assertThat(exec.size()).isEqualTo(3);
    }

    @Test
    void execveWithoutArgumentsGetsAnEmptyArgv() {
        EventAssembler assembler = new EventAssembler(out::add);
        feed(assembler,
                "type=EXECVE msg=audit(1000.000:1): argc=0",
                "type=EOE msg=audit(1000.000:1):");
        assertThat(((Value.ListValue) out.get(0).first(RecordType.EXECVE).get("ARGV")).items()).isEmpty();
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> limits(0, 1, 1)).hasMessageContaining("pendingEvents must be at least 1, got 0");
        assertThatThrownBy(() -> limits(1, -1, 1)).hasMessageContaining("must not be negative");
        assertThat(EventAssembler.Limits.DEFAULTS).isEqualTo(
                new EventAssembler.Limits(10_000, Duration.ofSeconds(3), Duration.ofSeconds(5)));
    }
}
