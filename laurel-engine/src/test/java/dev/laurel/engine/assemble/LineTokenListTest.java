package dev.laurel.engine.assemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.laurel.api.Encoding;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.engine.parse.LineParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineTokenListTest {

    private static Record parsed(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return new LineParser().parse(b, 0, b.length).record();
    }

    private static Value.Token token(String text, Encoding encoding) {
        return new Value.Token(text.getBytes(StandardCharsets.UTF_8), encoding);
    }

    @Test
    void foldedArgumentsAreTheLinesTokensInOrder() {
        Record sc = parsed("type=SYSCALL msg=audit(1.000:1): arch=c000003e a0=3 a1=7ffc06f9fe50 a2=3c a3=0 pid=5");
        SyscallArgs.fold(sc);
        List<Value> argv = ((Value.ListValue) sc.get("ARGV")).items();
        assertThat(argv).isInstanceOf(LineTokenList.class);
        assertThat(argv).containsExactly(token("3", Encoding.BARE), token("7ffc06f9fe50", Encoding.BARE),
                token("3c", Encoding.BARE), token("0", Encoding.BARE));
        assertThat(argv).isEqualTo(List.of(token("3", Encoding.BARE), token("7ffc06f9fe50", Encoding.BARE),
                token("3c", Encoding.BARE), token("0", Encoding.BARE)));
        assertThat(sc.indexOf("a0")).isEqualTo(-1);
        assertThat(sc.name(sc.size() - 1)).isEqualTo("ARGV");
        assertThat(sc.getLong("pid", -1)).isEqualTo(5);
    }

    @Test
    void spansGiveWhatGetGives() {
        Record sc = parsed("type=SYSCALL msg=audit(1.000:1): a0=\"x y\" a1=(null) a2=? a3=");
        SyscallArgs.fold(sc);
        LineTokenList argv = (LineTokenList) ((Value.ListValue) sc.get("ARGV")).items();
        assertThat(argv).hasSize(4);
        for (int i = 0; i < argv.size(); i++) {
            Value.Token t = (Value.Token) argv.get(i);
            assertThat(argv.line()).isSameAs(t.bytes());
            assertThat(argv.offset(i)).isEqualTo(t.offset());
            assertThat(argv.length(i)).isEqualTo(t.length());
            assertThat(argv.encoding(i)).isEqualTo(t.encoding());
        }
        assertThat(argv.encoding(0)).isEqualTo(Encoding.DOUBLE_QUOTED);
        assertThat(argv.encoding(1)).isEqualTo(Encoding.NULL);
        assertThat(argv.encoding(2)).isEqualTo(Encoding.UNSET);
        assertThat(argv.encoding(3)).isEqualTo(Encoding.EMPTY);
    }

    @Test
    void anArgumentSetByHandKeepsItsValueInAPlainList() {
        Record sc = parsed("type=SYSCALL msg=audit(1.000:1): a0=1 a1=2 a2=3 a3=4");
        sc.set("a1", Value.number(9));
        SyscallArgs.fold(sc);
        List<Value> argv = ((Value.ListValue) sc.get("ARGV")).items();
        assertThat(argv).isNotInstanceOf(LineTokenList.class)
                .containsExactly(token("1", Encoding.BARE), Value.number(9), token("3", Encoding.BARE),
                        token("4", Encoding.BARE));
    }

    @Test
    void isImmutable() {
        Record sc = parsed("type=SYSCALL msg=audit(1.000:1): a0=1 a1=2");
        SyscallArgs.fold(sc);
        List<Value> argv = ((Value.ListValue) sc.get("ARGV")).items();
        assertThat(argv).hasSize(2);
        assertThatThrownBy(() -> argv.add(Value.NULL)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> argv.set(0, Value.NULL)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(RecordType.SYSCALL).isEqualTo(sc.type());
    }
}
