package dev.laurel.engine.parse;

import dev.laurel.api.RecordType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FieldKindsTest {

    private static RecordType type(String name) {
        if (name.startsWith("UNKNOWN[")) {
            return RecordType.of(Integer.parseInt(name.substring(8, name.length() - 1)));
        }
        RecordType t = RecordType.named(name);
        assertThat(t).as(name).isNotNull();
        return t;
    }

    /**
     * Every row LAUREL 0.5.1 gave in the probe (src/test/probe/probe_field_kinds.py): about 300
     * names in ten record types, in the body and after the 0x1D byte.
     */
    @Test
    void agreesWithEveryProbedRenderingOfLaurel() throws IOException {
        List<String> wrong = new ArrayList<>();
        int rows = 0;
        try (InputStream in = FieldKindsTest.class.getResourceAsStream("laurel-0.5.1-field-kinds.tsv")) {
            assertThat(in).isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                RecordType t = type(f[0].replace("+tail", ""));
                FieldKind expected = FieldKind.valueOf(f[2]);
                FieldKind actual = FieldKinds.of(t, f[1]);
                if (actual != expected) {
                    wrong.add(line + " but got " + actual);
                }
                rows++;
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(rows).isGreaterThan(5000);
    }

    @Test
    void writesGoldenFileNumbersByTheirKind() {
        // from LAUREL's golden files: "arch":"0xc000003e", "mode":"0o100755", "cap_fe":0,
        // "cap_fp":"0x0", "cap_frootid":"0", "tty":"(none)", "old":"-37201248256000", LOGIN "res":1
        assertThat(FieldKinds.of(RecordType.SYSCALL, "arch")).isEqualTo(FieldKind.HEX);
        assertThat(FieldKinds.of(RecordType.PATH, "mode")).isEqualTo(FieldKind.OCT);
        assertThat(FieldKinds.of(RecordType.PATH, "cap_fe")).isEqualTo(FieldKind.DEC);
        assertThat(FieldKinds.of(RecordType.PATH, "cap_fp")).isEqualTo(FieldKind.HEX);
        assertThat(FieldKinds.of(RecordType.PATH, "cap_fi")).isEqualTo(FieldKind.HEX);
        assertThat(FieldKinds.of(RecordType.PATH, "cap_fver")).isEqualTo(FieldKind.HEX);
        assertThat(FieldKinds.of(RecordType.PATH, "cap_frootid")).isEqualTo(FieldKind.ENCODED);
        assertThat(FieldKinds.of(RecordType.SYSCALL, "tty")).isEqualTo(FieldKind.ENCODED);
        assertThat(FieldKinds.of(RecordType.named("TIME_ADJNTPVAL"), "old")).isEqualTo(FieldKind.ENCODED);
        assertThat(FieldKinds.of(RecordType.named("LOGIN"), "res")).isEqualTo(FieldKind.DEC);
        assertThat(FieldKinds.of(RecordType.named("BPRM_FCAPS"), "pp")).isEqualTo(FieldKind.HEX);
        assertThat(FieldKinds.of(RecordType.named("BPRM_FCAPS"), "fe")).isEqualTo(FieldKind.DEC);
    }

    @Test
    void treatsSyscallArgumentsAsHexOnlyInSyscall() {
        for (String a : List.of("a0", "a1", "a2", "a3")) {
            assertThat(FieldKinds.of(RecordType.SYSCALL, a)).as(a).isEqualTo(FieldKind.HEX);
            assertThat(FieldKinds.of(RecordType.EXECVE, a)).as(a).isEqualTo(FieldKind.ENCODED);
            assertThat(FieldKinds.of(RecordType.named("CONFIG_CHANGE"), a)).as(a).isEqualTo(FieldKind.ENCODED);
        }
        assertThat(FieldKinds.of(RecordType.SYSCALL, "a4")).isEqualTo(FieldKind.ENCODED);
    }

    @Test
    void treatsExecveArgumentLengthsAsDecimal() {
        assertThat(FieldKinds.of(RecordType.EXECVE, "a1_len")).isEqualTo(FieldKind.DEC);
        assertThat(FieldKinds.of(RecordType.EXECVE, "a1234_len")).isEqualTo(FieldKind.DEC);
        assertThat(FieldKinds.of(RecordType.EXECVE, "a1[0]")).isEqualTo(FieldKind.ENCODED);
        assertThat(FieldKinds.of(RecordType.EXECVE, "ax_len")).isEqualTo(FieldKind.ENCODED);
        assertThat(FieldKinds.of(RecordType.EXECVE, "argc")).isEqualTo(FieldKind.DEC);
        // outside EXECVE LAUREL hex-decodes a1_len=10 like any unknown name
        assertThat(FieldKinds.of(RecordType.named("CONFIG_CHANGE"), "a1_len")).isEqualTo(FieldKind.ENCODED);
    }

    @Test
    void makesNamesEndingInUidOrGidDecimal() {
        for (String n : List.of("uid", "x_uid", "xgid", "foo_gid", "uuid", "inode_uid", "new_gid")) {
            assertThat(FieldKinds.of(RecordType.named("CONFIG_CHANGE"), n)).as(n).isEqualTo(FieldKind.DEC);
        }
        // case-sensitive and a suffix only: ENRICHED's UID, and uidx, are strings
        for (String n : List.of("UID", "AUID", "uidx", "fooid")) {
            assertThat(FieldKinds.of(RecordType.named("CONFIG_CHANGE"), n)).as(n).isEqualTo(FieldKind.ENCODED);
        }
    }

    @Test
    void makesUnknownNamesEncoded() {
        assertThat(FieldKinds.of(RecordType.of(9999), "zzz")).isEqualTo(FieldKind.ENCODED);
        assertThat(FieldKinds.of(RecordType.SOCKADDR, "saddr")).isEqualTo(FieldKind.ENCODED);
        assertThat(FieldKinds.of(RecordType.PROCTITLE, "proctitle")).isEqualTo(FieldKind.ENCODED);
        assertThat(FieldKinds.of(RecordType.SYSCALL, "SADDR")).isEqualTo(FieldKind.ENCODED);
    }

    @Test
    void neverUsesTextForAnyProbedName() {
        // LAUREL 0.5.1 hex-decodes every name that is not a number, so TEXT has no name yet
        for (String n : FieldKinds.knownNames()) {
            assertThat(FieldKinds.of(RecordType.named("CONFIG_CHANGE"), n)).as(n).isNotEqualTo(FieldKind.TEXT);
        }
    }
}
