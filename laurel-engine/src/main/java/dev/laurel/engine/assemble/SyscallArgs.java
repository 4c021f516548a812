package dev.laurel.engine.assemble;

import dev.laurel.api.Record;
import dev.laurel.api.Value;

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
        // An immutable list over one exact array: ArrayList and Value.list's copy made three.
        Value[] args = new Value[4];
        int n = 0;
        for (int i = 0; i < sc.size(); ) {
            String name = sc.name(i);
            if (isArg(name)) {
                if (n == args.length) {
                    args = Arrays.copyOf(args, 2 * n);
                }
                args[n++] = sc.value(i);
                sc.remove(i);
            } else {
                i++;
            }
        }
        List<Value> list = switch (n) {
            case 0 -> List.of();
            case 4 -> List.of(args[0], args[1], args[2], args[3]);
            default -> List.of(Arrays.copyOf(args, n));
        };
        sc.add("ARGV", new Value.ListValue(list));
    }

    /**
     * Whether the name is {@code a0}..{@code a3}. The parser's names are interned, so the
     * reference compares decide; String.charAt is slow under C1 (the launcher's compiler).
     */
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
