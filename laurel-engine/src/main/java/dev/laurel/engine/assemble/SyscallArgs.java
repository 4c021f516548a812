package dev.laurel.engine.assemble;

import dev.laurel.api.Encoding;
import dev.laurel.api.Record;
import dev.laurel.api.Value;
import dev.laurel.api.internal.Records;

import java.util.Arrays;
import java.util.List;

/**
 * Folds a SYSCALL record's {@code a0}..{@code a3} into one {@code ARGV} list appended after the
 * fields read from the line, where LAUREL writes it. Done once, when the event is complete, so
 * that fields enrichers add later ({@code PPID}, {@code LABELS}, translations) come after it as
 * in LAUREL's output. The items keep their tokens (hex digits as written).
 */
final class SyscallArgs {
    private SyscallArgs() {
    }

    static void fold(Record sc) {
        // Arguments that are still their line's tokens (always, as parsed) become a list of
        // spans, which makes no Token until a plugin asks for one; anything else is kept as the
        // Value it is, in an immutable list over one exact array.
        long[] spans = new long[4];
        Value[] values = null;
        int n = 0;
        for (int i = 0; i < sc.size(); ) {
            String name = sc.name(i);
            if (name.length() == 2 && isArg(name)) {     // the length first: no call for most fields
                if (n == spans.length) {
                    spans = Arrays.copyOf(spans, 2 * n);
                    values = values == null ? null : Arrays.copyOf(values, 2 * n);
                }
                Encoding enc = Records.tokenEncoding(sc, i);
                if (enc != null) {
                    spans[n] = LineTokenList.span(Records.tokenOffset(sc, i), Records.tokenLength(sc, i), enc);
                } else {
                    if (values == null) {
                        values = new Value[spans.length];
                    }
                    values[n] = sc.value(i);
                }
                n++;
                sc.remove(i);
            } else {
                i++;
            }
        }
        List<Value> list;
        if (n == 0) {
            list = List.of();
        } else if (values == null) {
            list = new LineTokenList(sc.line(), spans, n);
        } else {
            List<Value> tokens = new LineTokenList(sc.line(), spans, n);
            for (int a = 0; a < n; a++) {
                if (values[a] == null) {
                    values[a] = tokens.get(a);
                }
            }
            list = List.of(Arrays.copyOf(values, n));
        }
        sc.add("ARGV", new Value.ListValue(list));
    }

    static boolean isArg(String name) {
        if (name.length() != 2) {
            return false;
        }
        if (name == "a0" || name == "a1" || name == "a2" || name == "a3") {
            return true;
        }
        return name.charAt(0) == 'a' && name.charAt(1) >= '0' && name.charAt(1) <= '3';
    }
}
