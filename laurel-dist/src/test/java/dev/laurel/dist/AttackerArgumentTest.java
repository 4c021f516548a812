package dev.laurel.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laurel.engine.cli.Main;
import dev.laurel.engine.json.PercentCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attacker controls a command's arguments, its working directory and file names. Real-looking
 * exec events (as auditd 3.0.9 ENRICHED writes them) carry hostile strings in all three, hex-encoded
 * as the kernel writes them and, where a line can hold them, also raw in quotes as a careless
 * writer might: through {@link Main} with hex-decoder, translate, parent-info and key-labeler,
 * each event is one JSON line with exactly the records and fields of the same event with a
 * harmless argument, and the hex-encoded argument comes out as the very bytes.
 */
class AttackerArgumentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GS = "\u001d";

    /** Hostile arguments; those without a newline or double quote can also be written raw. */
    private static final List<byte[]> PAYLOADS = List.of(
            bytes("\"; rm -rf / \""),
            bytes("a\nb"),
            bytes("\ntype=EOE msg=audit(1795636900.100:5001): \n"),
            bytes("type=EOE msg=audit(1795636900.100:5001):"),
            bytes("x" + GS + "AUID=\"root\" UID=\"root\""),
            bytes(GS + "type=EOE msg=audit(1795636900.100:5001):"),
            bytes("\u001b[31mred\u001b[0m\u001b]0;title\u0007"),
            bytes("a1=injected a2=\"more\""),
            bytes("' msg='op=fake res=success'"),
            bytes("\u0000nul\u0000"),
            bytes("back\\slash \\x41 \\\" \\u0000"),
            bytes("\r\ncarriage"),
            bytes("}{\"ID\":\"0.0:0\"}"),
            bytes("percent %41 %%"),
            new byte[] {(byte) 0xff, (byte) 0xfe, 'x', (byte) 0xc3, 0x28, (byte) 0xed, (byte) 0xa0, (byte) 0x80});

    @TempDir
    Path dir;

    @Test
    void hostileArgumentsNeverAddALineARecordOrAField() throws Exception {
        List<String> events = new ArrayList<>();
        List<byte[]> expectedArg = new ArrayList<>();
        List<Boolean> hex = new ArrayList<>();
        int serial = 5000;
        events.add(event(++serial, bytes("harmless"), true));
        expectedArg.add(bytes("harmless"));
        hex.add(true);
        for (byte[] payload : PAYLOADS) {
            events.add(event(++serial, payload, true));
            expectedArg.add(payload);
            hex.add(true);
            if (rawPossible(payload)) {
                events.add(event(++serial, payload, false));
                expectedArg.add(payload);
                hex.add(false);
            }
        }
        Path input = dir.resolve("audit.log");
        Files.writeString(input, String.join("", events), StandardCharsets.ISO_8859_1);

        List<JsonNode> out = run(input);

        assertThat(out).as("one line per event").hasSize(events.size());
        JsonNode baseline = out.get(0);
        for (int i = 0; i < out.size(); i++) {
            JsonNode e = out.get(i);
            String why = "event " + i + " (" + (hex.get(i) ? "hex" : "raw") + "): " + e;
            assertThat(e.path("ID").asText()).as(why).isEqualTo("1795636900.100:" + (5001 + i));
            assertThat(shape(e)).as(why).isEqualTo(shape(baseline));
            JsonNode argv = e.path("EXECVE").path("ARGV");
            assertThat(argv.size()).as(why).isEqualTo(3);
            assertThat(argv.get(0).asText()).as(why).isEqualTo("cat");
            assertThat(argv.get(2).asText()).as(why).isEqualTo("end");
            // LAUREL's format escapes %, + and control bytes as %xx, reversibly: the very bytes
            assertThat(unescaped(argv.get(1))).as(why).isEqualTo(expectedArg.get(i));
            assertThat(unescaped(e.path("CWD").path("cwd"))).as(why).isEqualTo(concat(bytes("/tmp/"), expectedArg.get(i)));
            assertThat(unescaped(e.path("PATH").get(1).path("name"))).as(why)
                    .isEqualTo(concat(bytes("/tmp/"), expectedArg.get(i)));
            if (new String(expectedArg.get(i), StandardCharsets.ISO_8859_1).indexOf(0) < 0) {
                // (the process title separates arguments by NUL, so one holding NUL reads as more)
                assertThat(unescaped(e.path("PROCTITLE").path("ARGV").get(1))).as(why).isEqualTo(expectedArg.get(i));
            }
        }
    }

    /** Record names, then each record's field names, in order (PATH as a list of records). */
    private static String shape(JsonNode event) {
        StringBuilder sb = new StringBuilder();
        for (Iterator<String> it = event.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            JsonNode v = event.get(name);
            sb.append(name).append('{');
            if (v.isArray()) {
                for (JsonNode item : v) {
                    item.fieldNames().forEachRemaining(f -> sb.append(f).append(','));
                    sb.append(';');
                }
            } else {
                v.fieldNames().forEachRemaining(f -> sb.append(f).append(','));
            }
            sb.append('}');
        }
        return sb.toString();
    }

    /** An exec of {@code cat PAYLOAD end} in /tmp/PAYLOAD on /tmp/PAYLOAD, as auditd writes it. */
    private static String event(int serial, byte[] payload, boolean hex) {
        String h = "msg=audit(1795636900.100:" + serial + "): ";
        String arg = hex ? HexFormat.of().withUpperCase().formatHex(payload) : "\"" + latin1(payload) + "\"";
        byte[] dir = concat(bytes("/tmp/"), payload);
        String path = hex ? HexFormat.of().withUpperCase().formatHex(dir) : "\"" + latin1(dir) + "\"";
        byte[] title = concat(concat(bytes("cat\0"), payload), bytes("\0end"));
        return "type=SYSCALL " + h + "arch=c000003e syscall=59 success=yes exit=0 a0=55833ca9d4d0 a1=7ffe7f544c80"
                + " a2=7ffe7f545f00 a3=7fb7ee59bac0 items=2 ppid=3468 pid=" + (4000 + serial) + " auid=1001 uid=1001"
                + " gid=1001 euid=1001 suid=1001 fsuid=1001 egid=1001 sgid=1001 fsgid=1001 tty=pts0 ses=1"
                + " comm=\"cat\" exe=\"/usr/bin/cat\" key=\"exec\"" + GS + "ARCH=x86_64 SYSCALL=execve"
                + " AUID=\"audtest\" UID=\"audtest\" GID=\"audtest\" EUID=\"audtest\" SUID=\"audtest\""
                + " FSUID=\"audtest\" EGID=\"audtest\" SGID=\"audtest\" FSGID=\"audtest\"\n"
                + "type=EXECVE " + h + "argc=3 a0=\"cat\" a1=" + arg + " a2=\"end\"\n"
                + "type=CWD " + h + "cwd=" + path + "\n"
                + "type=PATH " + h + "item=0 name=\"/usr/bin/cat\" inode=269901 dev=fe:00 mode=0100755 ouid=0 ogid=0"
                + " rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0" + GS
                + "OUID=\"root\" OGID=\"root\"\n"
                + "type=PATH " + h + "item=1 name=" + path + " inode=338944 dev=fe:00 mode=0100644 ouid=1001"
                + " ogid=1001 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0" + GS
                + "OUID=\"audtest\" OGID=\"audtest\"\n"
                + "type=PROCTITLE " + h + "proctitle=" + HexFormat.of().withUpperCase().formatHex(title) + "\n"
                + "type=EOE " + h.trim() + "\n";
    }

    private static byte[] unescaped(JsonNode text) {
        assertThat(text.isTextual()).as("%s", text).isTrue();
        return PercentCodec.decode(text.asText().getBytes(StandardCharsets.UTF_8));
    }

    private static boolean rawPossible(byte[] payload) {
        for (byte b : payload) {
            if (b == '\n' || b == '"') {
                return false;   // would end the line or the quoted value: nobody can write that
            }
        }
        return true;
    }

    private List<JsonNode> run(Path input) throws IOException {
        Path output = dir.resolve("out.jsonl");
        Path config = dir.resolve("laurel.yaml");
        Files.writeString(config, """
                input: "%s"
                proc-root: none
                diagnostics:
                  log: stderr
                  log-level: error
                enrichers:
                  - type: hex-decoder
                  - type: translate
                  - type: parent-info
                  - type: key-labeler
                    label-keys: [exec]
                    label-argv:
                      "rm -rf": danger
                sinks:
                  - type: json-file
                    file: "%s"
                """.formatted(input, output));
        int status = Main.run(new String[] {"--config", config.toString()},
                new PrintStream(new ByteArrayOutputStream(), true), new PrintStream(new ByteArrayOutputStream(), true));
        assertThat(status).isZero();
        byte[] bytes = Files.readAllBytes(output);
        assertThat(utf8(bytes)).as("output is UTF-8").isTrue();
        List<JsonNode> events = new ArrayList<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            for (char c : line.toCharArray()) {
                assertThat(c < 0x20 || c == 0x7f).as("raw control character in %s", line).isFalse();
            }
            events.add(JSON.readTree(line));
        }
        return events;
    }

    private static boolean utf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
