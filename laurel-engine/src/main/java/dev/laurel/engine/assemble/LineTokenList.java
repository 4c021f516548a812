package dev.laurel.engine.assemble;

import dev.laurel.api.Encoding;
import dev.laurel.api.Value;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * An immutable list of {@link Value.Token}s that are spans of one record's line, such as a
 * SYSCALL's folded {@code a0}..{@code a3}: each Token is made when {@link #get} is asked for it,
 * so an event's arguments cost no object each, and the encoder writes them from the line
 * ({@link #line()}, {@link #offset}, {@link #length}, {@link #encoding}) without any.
 */
public final class LineTokenList extends AbstractList<Value> implements RandomAccess {
    private static final Encoding[] ENCODINGS = Encoding.values();

    private final byte[] line;
    /** Per item: offset << 32 | length << 8 | encoding's ordinal, as {@link #span} packs them. */
    private final long[] spans;

    /** The tokens {@code spans[0, size)} of {@code line}; the array is not copied. */
    LineTokenList(byte[] line, long[] spans, int size) {
        this.line = line;
        this.spans = size == spans.length ? spans : java.util.Arrays.copyOf(spans, size);
    }

    /** An item's span: {@code line[offset, offset+length)} written {@code encoding}. */
    static long span(int offset, int length, Encoding encoding) {
        return (long) offset << 32 | (long) length << 8 | encoding.ordinal();
    }

    /** The line the items are spans of; do not modify. */
    public byte[] line() {
        return line;
    }

    public int offset(int i) {
        return (int) (spans[i] >>> 32);
    }

    public int length(int i) {
        return (int) (spans[i] >>> 8) & 0xffffff;
    }

    public Encoding encoding(int i) {
        return ENCODINGS[(int) spans[i] & 0xff];
    }

    @Override
    public Value get(int i) {
        long s = spans[i];
        return new Value.Token(line, (int) (s >>> 32), (int) (s >>> 8) & 0xffffff, ENCODINGS[(int) s & 0xff]);
    }

    @Override
    public int size() {
        return spans.length;
    }
}
