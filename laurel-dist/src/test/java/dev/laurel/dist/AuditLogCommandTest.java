package dev.laurel.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import static dev.laurel.dist.InProcessLaurel.CAPTURE;
import static dev.laurel.dist.InProcessLaurel.laurel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code laurel audit-log}: laurel's JSON back to audit.log lines. The capture goes through laurel,
 * back to audit.log and through laurel again; ausearch and aureport read the result as the original.
 */
class AuditLogCommandTest {
    private static final Path LONG_EXECVE = TestData.root().resolve("testdata/laurel-fixtures/record-execve-long.txt");
    private static final Pattern EVENT_ID = Pattern.compile("msg=audit\\((\\d+\\.\\d+:\\d+)\\)");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** The audit log through laurel (hex-decoder alone: LAUREL's layout) as JSON Lines. */
    private Path json(Path auditLog, String name) {
        Path out = tmp.resolve(name);
        InProcessLaurel.Result r = laurel("convert", "-o", out.toString(), auditLog.toString());
        assertThat(r.status()).as(r.err()).isZero();
        return out;
    }

    private Path auditLog(Path json, String name) {
        Path out = tmp.resolve(name);
        InProcessLaurel.Result r = laurel("audit-log", json.toString(), "-o", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        return out;
    }

    private static String tool(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }

    private static void assumeAuditTools() {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ausearch")) && Files.isExecutable(Path.of("/usr/sbin/aureport")),
                "ausearch and aureport (Debian package auditd) are not installed: the round trip through them is"
                        + " not checked here");
    }

    private static Set<String> eventIds(String text) {
        Set<String> ids = new TreeSet<>();
        Matcher m = EVENT_ID.matcher(text);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    @Test
    void ausearchReadsEveryEventOfTheCaptureAndAureportCountsAsOnTheOriginal() throws Exception {
        assumeAuditTools();
        Path back = auditLog(json(CAPTURE, "capture.jsonl"), "audit.log");
        Set<String> original = eventIds(Files.readString(CAPTURE, StandardCharsets.ISO_8859_1));
        assertThat(original).hasSize(1076);
        String raw = tool("/usr/sbin/ausearch", "-if", back.toString(), "--raw");
        assertThat(eventIds(raw)).isEqualTo(original);
        String summary = tool("/usr/sbin/aureport", "-if", back.toString(), "--summary");
        assertThat(summary).contains("Number of events: ")
                .isEqualTo(tool("/usr/sbin/aureport", "-if", CAPTURE.toString(), "--summary"));
        // the key report finds every key (it needs SYSCALL's a0..a3 before key, where auditd writes them)
        assertThat(tool("/usr/sbin/aureport", "-if", back.toString(), "-k").lines().count())
                .isEqualTo(tool("/usr/sbin/aureport", "-if", CAPTURE.toString(), "-k").lines().count());
    }

    /** The event without auditd's ENRICHED fields (upper-case keys with a plain value), which audit-log leaves out. */
    private static JsonNode withoutEnriched(JsonNode event) {
        for (JsonNode record : event) {
            for (JsonNode object : record.isArray() ? record : List.of(record)) {
                if (object instanceof ObjectNode o) {
                    Iterator<Map.Entry<String, JsonNode>> fields = o.fields();
                    while (fields.hasNext()) {
                        Map.Entry<String, JsonNode> f = fields.next();
                        if (Character.isUpperCase(f.getKey().charAt(0)) && f.getValue().isValueNode()) {
                            fields.remove();
                        }
                    }
                }
            }
        }
        return event;
    }

    private static Map<String, JsonNode> events(Path jsonl) throws IOException {
        Map<String, JsonNode> events = new LinkedHashMap<>();
        for (String line : Files.readAllLines(jsonl)) {
            JsonNode e = JSON.readTree(line);
            events.put(e.get("ID").asText(), withoutEnriched(e));
        }
        return events;
    }

    @Test
    void theCaptureThroughAuditLogAndLaurelAgainGivesTheSameEvents() throws Exception {
        Path first = json(CAPTURE, "first.jsonl");
        Path second = json(auditLog(first, "audit.log"), "second.jsonl");
        Map<String, JsonNode> a = events(first);
        Map<String, JsonNode> b = events(second);
        assertThat(a).hasSize(1076);
        assertThat(b).isEqualTo(a);
    }

    @Test
    void aLongExecveComesOutOnOneLineAndItsArgumentsByteForByte() throws Exception {
        Path first = json(LONG_EXECVE, "long.jsonl");
        Path back = auditLog(first, "long.log");
        List<String> execve = Files.readAllLines(back).stream().filter(l -> l.startsWith("type=EXECVE ")).toList();
        assertThat(execve).hasSize(1);
        // a1 as the kernel cut it into a1[0], a1[1], a1[2]
        StringBuilder hex = new StringBuilder();
        Matcher chunk = Pattern.compile(" a1\\[\\d+\\]=([0-9A-F]+)").matcher(Files.readString(LONG_EXECVE));
        while (chunk.find()) {
            hex.append(chunk.group(1));
        }
        String a1 = new String(HexFormat.of().parseHex(hex), StandardCharsets.US_ASCII);
        assertThat(a1).hasSize(8192);   // a1_len counts hex digits
        assertThat(execve.get(0)).endsWith(" argc=2 a0=\"/bin/echo\" a1=\"" + a1 + "\"");
        assertThat(events(json(back, "again.jsonl"))).isEqualTo(events(first));
    }

    @Test
    void nonUtf8PercentAndPlusComeBackAsTheKernelWroteThem() throws Exception {
        String id = "1700000000.000:7";
        Path log = tmp.resolve("bytes.log");
        Files.writeString(log, "type=SYSCALL msg=audit(" + id + "): arch=c000003e syscall=59 success=yes exit=0 a0=1"
                + " a1=2 a2=3 a3=4 items=1 ppid=1 pid=2 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0"
                + " fsgid=0 tty=(none) ses=1 comm=\"x\" exe=\"/usr/bin/x\" key=(null)\n"
                + "type=EXECVE msg=audit(" + id + "): argc=4 a0=\"x\" a1=FF41C3A8 a2=\"100%+\" a3=6120620A\n"
                + "type=PATH msg=audit(" + id + "): item=0 name=2F746D702F61FE inode=5 dev=fe:00 mode=0100755"
                + " ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0\n"
                + "type=PROCTITLE msg=audit(" + id + "): proctitle=7800FF\n"
                + "type=EOE msg=audit(" + id + "):\n");
        Path json = json(log, "bytes.jsonl");
        assertThat(Files.readString(json)).contains("\"ARGV\":[\"x\",\"%ffA\u00e8\",\"100%25%2b\",\"a b%0a\"]");
        assertThat(Files.readAllLines(auditLog(json, "bytes.audit.log"))).containsExactly(
                "type=SYSCALL msg=audit(" + id + "): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4"
                        + " items=1 ppid=1 pid=2 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0"
                        + " tty=(none) ses=1 comm=\"x\" exe=\"/usr/bin/x\" key=(null)",
                "type=EXECVE msg=audit(" + id + "): argc=4 a0=\"x\" a1=FF41C3A8 a2=\"100%+\" a3=6120620A",
                "type=PATH msg=audit(" + id + "): item=0 name=2F746D702F61FE inode=5 dev=fe:00 mode=0100755"
                        + " ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0",
                "type=PROCTITLE msg=audit(" + id + "): proctitle=7800FF",
                "type=EOE msg=audit(" + id + "):");
    }

    @Test
    void readsGzipFilesInTheOrderGivenAndStandardInput() throws Exception {
        Path first = json(CAPTURE, "capture.jsonl");
        List<String> lines = Files.readAllLines(first);
        Path older = tmp.resolve("older.jsonl.gz");
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(older))) {
            gz.write((String.join("\n", lines.subList(0, 500)) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Path newer = tmp.resolve("newer.jsonl");
        Files.write(newer, lines.subList(500, lines.size()));
        Path whole = auditLog(first, "whole.log");
        Path split = tmp.resolve("split.log");
        InProcessLaurel.Result r = laurel("audit-log", older.toString(), newer.toString(), "-o", split.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(Files.readAllBytes(split)).isEqualTo(Files.readAllBytes(whole));

        InputStream stdin = System.in;
        InProcessLaurel.Result piped;
        try {
            System.setIn(new ByteArrayInputStream(Files.readAllBytes(first)));
            piped = laurel("audit-log");
        } finally {
            System.setIn(stdin);
        }
        assertThat(piped.status()).as(piped.err()).isZero();
        assertThat(piped.out()).isEqualTo(Files.readString(whole));
    }

    @Test
    void linesThatAreNotEventsAreNamedAndTheRestWritten() throws Exception {
        Path in = tmp.resolve("mixed.jsonl");
        Files.writeString(in, "{\"ID\":\"1.000:1\",\"CWD\":{\"cwd\":\"/tmp\"},\"PARENT_INFO\":{\"ppid\":1}}\n"
                + "not json\n{\"CWD\":{\"cwd\":\"/\"}}\n{\"ID\":\"1.000:2\",\"CWD\":[}\n");
        InProcessLaurel.Result r = laurel("audit-log", in.toString());
        assertThat(r.status()).isEqualTo(65);
        assertThat(r.out()).isEqualTo("type=CWD msg=audit(1.000:1): cwd=\"/tmp\"\ntype=EOE msg=audit(1.000:1):\n");
        List<String> err = new ArrayList<>(r.err().lines().toList());
        assertThat(err).containsExactly(
                in + ":2: not a laurel JSON event (no JSON object); left out",
                in + ":3: not a laurel JSON event (no \"ID\"); left out",
                in + ":4: not a laurel JSON event (not JSON at column 24); left out",
                "laurel: 3 lines were not laurel JSON events and were left out; 1 events written");
    }
}
