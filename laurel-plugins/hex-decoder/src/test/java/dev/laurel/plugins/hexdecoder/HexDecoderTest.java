package dev.laurel.plugins.hexdecoder;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Encoding;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.EventId;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Setting;
import dev.laurel.api.Value;
import dev.laurel.engine.json.EventEncoder;
import dev.laurel.plugins.testkit.MapConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class HexDecoderTest {
    private final HexDecoder decoder = new HexDecoder();

    private static Value.Token tok(String s, Encoding e) {
        return new Value.Token(s.getBytes(StandardCharsets.US_ASCII), e);
    }

    private static Value text(String s) {
        return Value.text(s);
    }

    private static AuditEvent event(Record... records) {
        AuditEvent e = new AuditEvent(new EventId(1626611363L, 720, 348501L), null);
        e.records().addAll(List.of(records));
        return e;
    }

    @Test
    void replacesHexTokensWithTheirDecodedText() {
        Record r = new Record(RecordType.SYSCALL, new byte[0]);
        r.add("comm", tok("7065726C", Encoding.HEX));
        r.add("exe", tok("/usr/bin/perl", Encoding.DOUBLE_QUOTED));
        r.add("pid", tok("42", Encoding.BARE));
        decoder.enrich(event(r));
        assertThat(r.value(0)).isEqualTo(text("perl"));
        assertThat(r.value(1)).isEqualTo(tok("/usr/bin/perl", Encoding.DOUBLE_QUOTED));
        assertThat(r.value(2)).isEqualTo(tok("42", Encoding.BARE));
    }

    @Test
    void keepsArbitraryBytesIncludingNulAndInvalidUtf8() {
        Record r = new Record(RecordType.SOCKADDR, new byte[0]);
        r.add("saddr", tok("0100ff2f", Encoding.HEX));
        decoder.enrich(event(r));
        assertThat(r.value(0)).isEqualTo(Value.text(new byte[]{1, 0, (byte) 0xff, '/'}));
    }

    @Test
    void decodesInsideTheExecveArgvAndLeavesOtherItemsAsTheyAre() {
        Record r = new Record(RecordType.EXECVE, new byte[0]);
        r.add("argc", tok("3", Encoding.BARE));
        Value.Token perl = tok("perl", Encoding.DOUBLE_QUOTED);
        r.add("ARGV", Value.list(List.of(perl, tok("-e", Encoding.DOUBLE_QUOTED), tok("7573652053", Encoding.HEX))));
        decoder.enrich(event(r));
        Value.ListValue argv = (Value.ListValue) r.get("ARGV");
        assertThat(argv.items()).containsExactly(perl, tok("-e", Encoding.DOUBLE_QUOTED), text("use S"));
        assertThat(argv.items().get(0)).isSameAs(perl);
    }

    @Test
    void leavesValuesWithoutHexUntouched() {
        Value.ListValue list = Value.list(List.of(tok("a", Encoding.DOUBLE_QUOTED), Value.NULL));
        Value.ObjectValue object = Value.object(Map.of("k", tok("x", Encoding.BARE)));
        assertThat(HexDecoder.decode(list)).isSameAs(list);
        assertThat(HexDecoder.decode(object)).isSameAs(object);
        assertThat(HexDecoder.decode(Value.NULL)).isSameAs(Value.NULL);
        Value.Token nul = tok("(null)", Encoding.NULL);
        assertThat(HexDecoder.decode(nul)).isSameAs(nul);
    }

    @Test
    void decodesInsideNestedObjects() {
        Value.ObjectValue object = Value.object(Map.of("k", tok("6869", Encoding.HEX)));
        assertThat(HexDecoder.decode(object)).isEqualTo(Value.object(Map.of("k", text("hi"))));
    }

    @Test
    void keepsMalformedHexAsWritten() {
        assertThat(HexDecoder.decode(tok("6", Encoding.HEX))).isEqualTo(text("6"));
        assertThat(HexDecoder.decode(tok("zz", Encoding.HEX))).isEqualTo(text("zz"));
    }

    @Test
    void turnsHexIntoTextTheEncoderWritesAsLaurelDoes() {
        Record sc = new Record(RecordType.SOCKADDR, new byte[0]);
        sc.add("saddr", tok("0002D903000000000000000000000000", Encoding.HEX));
        Record pt = new Record(RecordType.PROCTITLE, new byte[0]);
        pt.add("proctitle", tok("6E63002D6C002D70003535353535", Encoding.HEX));
        AuditEvent e = event(sc, pt);
        decoder.enrich(e);
        assertThat(new String(new EventEncoder().encode(e), StandardCharsets.UTF_8)).isEqualTo(
                "{\"ID\":\"1626611363.720:348501\",\"SOCKADDR\":[{\"saddr\":"
                        + "\"%00%02%d9%03%00%00%00%00%00%00%00%00%00%00%00%00\"}],"
                        + "\"PROCTITLE\":{\"ARGV\":[\"nc\",\"-l\",\"-p\",\"55555\"]}}");
    }

    @Test
    void isRegisteredAsHexDecoderWithItsStyleAsOnlyOption() throws Exception {
        EnricherFactory found = ServiceLoader.load(EnricherFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.type().equals("hex-decoder"))
                .findFirst().orElseThrow();
        assertThat(found).isInstanceOf(HexDecoderFactory.class);
        assertThat(found.settings()).extracting(Setting::name).containsExactly("style");
        assertThat(found.requires()).isEmpty();
        assertThat(MapConfig.create(found, Map.of())).isInstanceOf(HexDecoder.class);
    }

    /** URINGOP's uring_op=18 as the parser gives it: hex digits in a field auditd may hex-encode. */
    private static Record uringOp() {
        Record r = new Record(RecordType.of(1336), new byte[0]);
        r.add("uring_op", tok("18", Encoding.HEX));
        r.add("success", tok("yes", Encoding.BARE));
        return r;
    }

    @Test
    void uringOpIsDecodedAsLaurel051DoesAndIsANumberInLaurel08sStyle() {
        Record r051 = uringOp();
        decoder.enrich(event(r051));
        assertThat(r051.value(0)).isEqualTo(Value.text(new byte[]{0x18}));     // LAUREL 0.5.1's "%18"

        Record r08 = uringOp();
        new HexDecoder(true).enrich(event(r08));
        assertThat(r08.value(0)).isEqualTo(Value.number(18));
        assertThat(r08.value(1)).isEqualTo(tok("yes", Encoding.BARE));
    }
}
