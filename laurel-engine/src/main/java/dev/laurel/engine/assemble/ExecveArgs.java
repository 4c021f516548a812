package dev.laurel.engine.assemble;

import dev.laurel.api.Encoding;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.api.internal.Records;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Merges the EXECVE records of one event into one record with {@code argc} and {@code ARGV}.
 *
 * <p>The kernel writes {@code argc=N} then {@code a0=... a1=...}, spreading a long list over
 * several EXECVE records; an argument too long for one record comes as {@code aN_len=LEN}
 * followed by fragments {@code aN[0]=... aN[1]=...}, possibly across records. The merged record
 * has, in order: {@code argc} (the first one, as written), {@code ARGV} (a list of the arguments
 * by index), then any other fields the records had. {@code aN_len} is metadata and dropped.
 *
 * <p>An argument written whole keeps its token (and so its encoding, quoted or hex). Fragments
 * are joined in fragment-index order: all hex gives a hex token of the joined digits, all
 * double-quoted a double-quoted token, anything else {@link Value.Text} of the joined decoded
 * bytes. Damaged input is kept as far as it goes: missing arguments or fragments are skipped,
 * an argument or fragment given twice keeps its first value, and an argument given both whole
 * and in fragments keeps the fragments. (LAUREL 0.5.1 loses earlier fragments when they come out
 * of order; the kernel never writes them so.)
 *
 * <p>Not thread-safe: reuses its scratch arrays; one per {@link EventAssembler}.
 */
final class ExecveArgs {
    private static final int MAX_INDEX_DIGITS = 9;
    private static final byte[] NO_BYTES = new byte[0];

    /**
     * What names meant (see addArgument), by a mixed hash: the String hashes of a0, a1, ...
     * fall into few low bits, and an EXECVE of thousands of arguments (one in the real capture
     * has 3,001) then found almost none of its names in 256 slots by the plain hash.
     */
    private static final int NAME_BITS = 12;
    private static final int NAME_SLOTS = 1 << NAME_BITS;
    private final String[] seenNames = new String[NAME_SLOTS];
    private final int[] seenArgs = new int[NAME_SLOTS];
    private final int[] seenFrags = new int[NAME_SLOTS];
    // Argument pieces of the event being merged, in input order: argument index, fragment
    // index (-1 for a whole argument) and value.
    private int[] args = new int[64];
    private int[] frags = new int[64];
    private Value[] values = new Value[64];
    private int count;
    private long folded;

    /** EXECVE records folded into an earlier one so far. */
    long folded() {
        return folded;
    }

    /**
     * Replaces the EXECVE records in {@code records} by one merged record at the place of the
     * first; other records keep their order. Does nothing if there is no EXECVE record.
     */
    void mergeInto(List<Record> records) {
        int first = -1;
        int execves = 0;
        Value argc = null;
        Record extras = null;
        count = 0;
        for (int i = 0; i < records.size(); i++) {
            Record r = records.get(i);
            if (r.type() != RecordType.EXECVE) {
                continue;
            }
            if (first < 0) {
                first = i;
            }
            execves++;
            int enrichedFrom = r.enrichedFrom();
            for (int f = 0; f < r.size(); f++) {
                String name = r.name(f);
                Value v = r.value(f);
                if (addArgument(name, v)) {
                    continue;
                }
                if (name.equals("argc")) {
                    if (argc == null) {
                        argc = v;
                    }
                    continue;
                }
                if (isLength(name)) {
                    continue;
                }
                if (extras == null) {
                    extras = Records.create(RecordType.EXECVE, NO_BYTES, 4);
                }
                if (f >= enrichedFrom) {
                    Records.markEnrichedStart(extras);
                }
                extras.add(name, v);
            }
        }
        if (first < 0) {
            return;
        }
        Record firstRecord = records.get(first);
        int extraCount = extras == null ? 0 : extras.size();
        Record merged = Records.create(RecordType.EXECVE, firstRecord.line(), 2 + extraCount);
        if (argc != null) {
            merged.add("argc", argc);
        }
        merged.add("ARGV", new Value.ListValue(argv()));
        for (int i = 0; i < extraCount; i++) {
            if (i == extras.enrichedFrom()) {
                Records.markEnrichedStart(merged);
            }
            merged.add(extras.name(i), extras.value(i));
        }
        Arrays.fill(values, 0, count, null);
        count = 0;

        int w = 0;
        for (int i = 0; i < records.size(); i++) {
            Record r = records.get(i);
            if (r.type() != RecordType.EXECVE) {
                records.set(w++, r);
            } else if (i == first) {
                records.set(w++, merged);
            }
        }
        records.subList(w, records.size()).clear();
        folded += execves - 1;
    }

    /** Records {@code name=v} if the name is {@code aN} or {@code aN[i]}; false otherwise. */
    private boolean addArgument(String name, Value v) {
        // Names come interned from the parser and repeat line after line: remember what each
        // one meant, as String.charAt is slow under C1 (the launcher's compiler).
        int slot = (name.hashCode() * 0x9E3779B9) >>> (32 - NAME_BITS);
        int arg;
        int frag;
        if (seenNames[slot] == name) {
            arg = seenArgs[slot];
            frag = seenFrags[slot];
        } else {
            long parsed = parseArgument(name);
            arg = (int) (parsed >> 32);
            frag = (int) parsed;
            seenNames[slot] = name;
            seenArgs[slot] = arg;
            seenFrags[slot] = frag;
        }
        if (arg < 0) {
            return false;
        }
        if (count == args.length) {
            int n = count * 2;
            args = Arrays.copyOf(args, n);
            frags = Arrays.copyOf(frags, n);
            values = Arrays.copyOf(values, n);
        }
        args[count] = arg;
        frags[count] = frag;
        values[count] = v;
        count++;
        return true;
    }

    /**
     * {@code aN} as {@code N << 32 | -1 & 0xffffffff}, {@code aN[i]} as {@code N << 32 | i}; a
     * negative N for any other name.
     */
    private static long parseArgument(String name) {
        long no = -1L << 32;
        int len = name.length();
        if (len < 2 || name.charAt(0) != 'a') {
            return no;
        }
        int end = digitsEnd(name, 1);
        if (end < 0) {
            return no;
        }
        long arg = parseIndex(name, 1, end);
        if (end == len) {
            return arg << 32 | 0xffffffffL;
        }
        if (name.charAt(end) == '[' && name.charAt(len - 1) == ']') {
            int fragEnd = digitsEnd(name, end + 1);
            if (fragEnd != len - 1) {
                return no;
            }
            return arg << 32 | parseIndex(name, end + 1, fragEnd);
        }
        return no;
    }

    /** Whether the name is {@code aN_len}. */
    private static boolean isLength(String name) {
        if (name.length() < 2 || name.charAt(0) != 'a') {
            return false;
        }
        int end = digitsEnd(name, 1);
        return end > 0 && name.length() == end + 4 && name.startsWith("_len", end);
    }

    /** The end of the run of 1 to 9 digits at {@code from}, or -1 if there is none. */
    private static int digitsEnd(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i == from || i - from > MAX_INDEX_DIGITS ? -1 : i;
    }

    private static int parseIndex(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n = n * 10 + (s.charAt(i) - '0');
        }
        return n;
    }

    /** The arguments collected so far, by index. */
    private List<Value> argv() {
        int[] order = inOrder();
        Value[] argv = new Value[count];
        int n = 0;
        int i = 0;
        while (i < count) {
            int arg = args[order[i]];
            int groupEnd = i;
            Value whole = null;
            int fragStart = -1;
            while (groupEnd < count && args[order[groupEnd]] == arg) {
                int k = order[groupEnd];
                if (frags[k] < 0) {
                    if (whole == null) {
                        whole = values[k];
                    }
                } else if (fragStart < 0) {
                    fragStart = groupEnd;
                }
                groupEnd++;
            }
            Value v = fragStart < 0 ? whole : joinFragments(order, fragStart, groupEnd);
            if (v != null) {
                argv[n++] = v;
            }
            i = groupEnd;
        }
        return Collections.unmodifiableList(Arrays.asList(n == argv.length ? argv : Arrays.copyOf(argv, n)));
    }

    /** The piece positions sorted by (argument, fragment), stable; sorting is skipped in the kernel's order. */
    private int[] inOrder() {
        int[] order = new int[count];
        boolean sorted = true;
        for (int i = 0; i < count; i++) {
            order[i] = i;
            if (i > 0 && compare(i - 1, i) > 0) {
                sorted = false;
            }
        }
        if (!sorted) {
            Integer[] boxed = new Integer[count];
            for (int i = 0; i < count; i++) {
                boxed[i] = i;
            }
            Arrays.sort(boxed, this::compare);  // stable: equal pieces keep input order
            for (int i = 0; i < count; i++) {
                order[i] = boxed[i];
            }
        }
        return order;
    }

    private int compare(int a, int b) {
        int c = Integer.compare(args[a], args[b]);
        return c != 0 ? c : Integer.compare(frags[a], frags[b]);
    }

    /** Joins the fragments at {@code order[from, to)} (one argument, sorted, first of each index kept). */
    private Value joinFragments(int[] order, int from, int to) {
        int pieces = 0;
        Value only = null;
        boolean allHex = true;
        boolean allQuoted = true;
        int rawLength = 0;
        int lastFrag = -1;
        for (int i = from; i < to; i++) {
            int k = order[i];
            if (frags[k] == lastFrag) {
                values[k] = null;  // a repeated fragment: the first one counts
                continue;
            }
            lastFrag = frags[k];
            Value v = values[k];
            pieces++;
            only = v;
            if (v instanceof Value.Token t) {
                allHex &= t.encoding() == Encoding.HEX;
                allQuoted &= t.encoding() == Encoding.DOUBLE_QUOTED;
                rawLength += t.length();
            } else {
                allHex = false;
                allQuoted = false;
            }
        }
        if (pieces == 1) {
            return only;
        }
        if (allHex || allQuoted) {
            byte[] joined = new byte[rawLength];
            int at = 0;
            for (int i = from; i < to; i++) {
                if (values[order[i]] instanceof Value.Token t) {
                    System.arraycopy(t.bytes(), t.offset(), joined, at, t.length());
                    at += t.length();
                }
            }
            return new Value.Token(joined, allHex ? Encoding.HEX : Encoding.DOUBLE_QUOTED);
        }
        byte[][] decoded = new byte[to - from][];
        int length = 0;
        for (int i = from; i < to; i++) {
            byte[] b = decodedBytes(values[order[i]]);
            decoded[i - from] = b;
            length += b.length;
        }
        byte[] joined = new byte[length];
        int at = 0;
        for (byte[] b : decoded) {
            System.arraycopy(b, 0, joined, at, b.length);
            at += b.length;
        }
        return Value.text(joined);
    }

    private static byte[] decodedBytes(Value v) {
        if (v instanceof Value.Token t) {
            byte[] b = t.decoded();
            return b == null ? NO_BYTES : b;
        }
        if (v instanceof Value.Text t) {
            return t.bytes();
        }
        if (v instanceof Value.Number n) {
            return Long.toString(n.value()).getBytes(StandardCharsets.US_ASCII);
        }
        return NO_BYTES;
    }
}
