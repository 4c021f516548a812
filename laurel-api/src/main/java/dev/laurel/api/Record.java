package dev.laurel.api;

import dev.laurel.api.internal.RecordAccess;

import java.util.Arrays;

/**
 * One audit record of an event: its type and its fields in the order auditd wrote them.
 *
 * <p>Field names are the keys as written ({@code pid}, {@code a0}, and the upper-case keys of
 * auditd's ENRICHED format such as {@code UID}); the fields auditd added in ENRICHED format come
 * last, from {@link #enrichedFrom()} on. Parsed values are {@link Value.Token}s; enrichers may
 * replace them ({@link #set(String, Value)}) and add fields. A multi-record {@code EXECVE} is
 * one record here, with {@code argc} and an {@code ARGV} list.
 *
 * <p>Not thread-safe: a record belongs to its event, which the chain handles on one thread.
 *
 * <pre>{@code
 * Record syscall = event.first(RecordType.SYSCALL);
 * long pid = syscall.getLong("pid", -1);
 * byte[] exe = syscall.decoded("exe");        // hex or quotes undone
 * syscall.set("LABELS", Value.list(...));
 * }</pre>
 */
public final class Record {
    static {
        // the engine's parser and the built-in plugins reach the storage below through
        // dev.laurel.api.internal.Records, which this bridge serves; nothing public shows it
        RecordAccess.install(new Access());
    }

    private final RecordType type;
    private final byte[] line;
    /**
     * The field names; may be the very array of other records of the same layout (see
     * {@link #Record(RecordType, byte[], Record)}, which the parser uses): then {@link #namesShared} is set and the
     * array is copied before any change.
     */
    private String[] names;
    private boolean namesShared;
    /**
     * An array whose first names are this record's fields as {@link #addToken} added them, and
     * which no record changes any more; what a record made {@linkplain #Record(RecordType,
     * byte[], Record) like this one} shares. {@code null} if there is none.
     */
    private String[] parsedNames;
    /** The values set or asked for; {@code null} until the first (a parsed line may need none). */
    private Value[] values;
    /**
     * For a field whose value is still the token the parser found in {@link #line}: offset << 32
     * | length << 8 | encoding's ordinal + 1; 0 otherwise. The Token object is made only when
     * someone asks for the value (most fields are only ever written out), so a parsed line costs
     * no object per field. {@code null} until the first {@link #addToken}.
     */
    private long[] spans;
    /**
     * The length of {@link #values} and {@link #spans} when they are made; {@link #names} is at
     * least as long (a shared array may be longer).
     */
    private int capacity;
    private int size;
    /** How many fields {@link #addToken} added: the room a record made like this one needs. */
    private int parsedSize;
    private int enrichedFrom;

    /**
     * A record with no fields yet.
     *
     * @param type the record's type
     * @param line the input line it came from (without its newline), kept for filters and error
     *             reports; its bytes must not change afterwards
     */
    public Record(RecordType type, byte[] line) {
        this(type, line, 16);
    }

    /** As {@link #Record(RecordType, byte[])}, sized for {@code capacity} fields. */
    Record(RecordType type, byte[] line, int capacity) {
        this.type = type;
        this.line = line;
        this.capacity = Math.max(capacity, 1);
        this.names = new String[this.capacity];
        this.enrichedFrom = -1;
    }

    /**
     * A record with no fields yet, expected to get the same field names as {@code like} got
     * from {@link #addToken} (as auditd writes a record type's fields line after line): it shares
     * {@code like}'s array of names, each record copying it only when its own names differ or
     * change, so a parsed line does not cost a copy of its names. Marks {@code like}'s names as
     * shared: for the parser alone, through {@code Records.createLike}.
     */
    private Record(RecordType type, byte[] line, Record like) {
        this.type = type;
        this.line = line;
        String[] shared = like.parsedNames != null ? like.parsedNames : like.names;
        if (shared == like.names) {
            like.namesShared = true;
        }
        like.parsedNames = shared;
        this.names = shared;
        this.namesShared = true;
        this.parsedNames = shared;
        this.capacity = Math.max(1, Math.min(like.parsedSize > 0 ? like.parsedSize : like.size, shared.length));
        this.enrichedFrom = -1;
    }

    /** The record's type, from the line's {@code type=}. */
    public RecordType type() {
        return type;
    }

    /** The input line this record was parsed from, without its newline. Do not modify. */
    public byte[] line() {
        return line;
    }

    /** The number of fields. */
    public int size() {
        return size;
    }

    /** The name of field {@code i}, {@code 0 <= i < size()}. */
    public String name(int i) {
        checkIndex(i);
        return names[i];
    }

    /** The value of field {@code i}. */
    public Value value(int i) {
        checkIndex(i);
        Value[] vs = values;
        Value v = vs == null ? null : vs[i];
        if (v == null && spans != null && spans[i] != 0) {
            v = token(spans[i]);
            if (vs == null) {
                vs = new Value[capacity];
                values = vs;
            }
            vs[i] = v;
        }
        return v;
    }

    /**
     * The encoding of field {@code i} if its value is still the token parsed from {@link #line()}
     * ({@link #addToken}), else {@code null}; always agrees with {@link #value(int)}.
     */
    private Encoding lineTokenEncoding(int i) {
        // Few enough bytecodes for C1, the launcher's compiler, to inline it: it is asked once
        // per field by the encoder and the hex-decoder.
        checkIndex(i);
        long[] s = spans;
        return s == null ? null : RecordAccess.spanEncoding(s[i]);
    }

    /**
     * Where field {@code i}'s token starts in {@link #line()}; meaningful only where
     * {@link #lineTokenEncoding} is not {@code null} (not checked further, for hot paths).
     */
    private int lineTokenOffset(int i) {
        return spans == null ? 0 : RecordAccess.spanOffset(spans[i]);
    }

    /** The length of field {@code i}'s token in {@link #line()}; as {@link #lineTokenOffset}. */
    private int lineTokenLength(int i) {
        return spans == null ? 0 : RecordAccess.spanLength(spans[i]);
    }

    /**
     * Whether field {@code i}'s value is a {@link Value.Token} that is the given ASCII text, as
     * {@link Value.Token#is} tells ({@code success=yes}); a token as parsed is compared in
     * {@link #line()}, without making a Token.
     */
    private boolean tokenIs(int i, String ascii) {
        checkIndex(i);
        long span = spans == null ? 0 : spans[i];
        if (span == 0) {
            return values != null && values[i] instanceof Value.Token t && t.is(ascii);
        }
        return Value.Token.is(line, RecordAccess.spanOffset(span), RecordAccess.spanLength(span), ascii);
    }

    private Value.Token token(long span) {
        return new Value.Token(line, RecordAccess.spanOffset(span), RecordAccess.spanLength(span),
                RecordAccess.spanEncoding(span));
    }

    /**
     * The index of the first field auditd added in ENRICHED format (after the 0x1D byte), or
     * {@code size()} if the line had none. Fields an enricher adds come after these.
     */
    public int enrichedFrom() {
        return enrichedFrom < 0 ? size : enrichedFrom;
    }

    /** Marks the fields added from now on as auditd's ENRICHED translations. */
    private void markEnrichedStart() {
        if (enrichedFrom < 0) {
            enrichedFrom = size;
        }
    }

    /** The index of the first field called {@code name}, or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i] == name) {
                return i;       // the parser's names are interned, as are literals
            }
        }
        // Not there by reference (a name not interned, or a field that is absent, as when an
        // enricher sets a new one): compare lengths first, as a call of equals per field is the
        // slow part under C1, the launcher's compiler.
        int length = name.length();
        for (int i = 0; i < size; i++) {
            String n = names[i];
            if (n.length() == length && n.equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The value of the first field called {@code name}, or {@code null} if absent. */
    public Value get(String name) {
        int i = indexOf(name);
        return i < 0 ? null : value(i);
    }

    /**
     * The bytes of field {@code name} with auditd's encoding undone (hex decoded, quotes
     * removed); {@code null} if the field is absent or has no value ({@code (null)}, {@code ?}).
     * Numbers are given in their written form.
     */
    public byte[] decoded(String name) {
        int i = indexOf(name);
        return i < 0 ? null : decoded(i);
    }

    /**
     * As {@link #decoded(String)}, for field {@code i}.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= i < size()}
     */
    public byte[] decoded(int i) {
        checkIndex(i);
        long span = spans == null ? 0 : spans[i];
        if (span != 0) {
            return Value.Token.decoded(line, RecordAccess.spanOffset(span), RecordAccess.spanLength(span),
                    RecordAccess.spanEncoding(span));
        }
        Value v = values == null ? null : values[i];
        if (v instanceof Value.Token t) {
            return t.decoded();
        }
        if (v instanceof Value.Text t) {
            return t.bytes().clone();
        }
        if (v instanceof Value.Number n) {
            return Long.toString(n.value()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        return null;
    }

    /**
     * Field {@code name} as a decimal number, or {@code fallback} if it is absent or not a
     * decimal number.
     */
    public long getLong(String name, long fallback) {
        int i = indexOf(name);
        if (i < 0) {
            return fallback;
        }
        long span = spans == null ? 0 : spans[i];
        if (span != 0) {
            return (span & 0xff) - 1 == Encoding.BARE.ordinal()
                    ? parseDecimal(line, RecordAccess.spanOffset(span), RecordAccess.spanLength(span), fallback)
                    : fallback;
        }
        Value v = values == null ? null : values[i];
        if (v instanceof Value.Number n) {
            return n.value();
        }
        if (v instanceof Value.Token t && t.encoding() == Encoding.BARE) {
            return parseDecimal(t.bytes(), t.offset(), t.length(), fallback);
        }
        return fallback;
    }

    /** Appends a field. Names may repeat (auditd never does; this does not check). */
    public void add(String name, Value value) {
        if (size == capacity) {
            grow();
        }
        if (names[size] != name) {
            ownNames(names == parsedNames);
            names[size] = name;
        }
        writableValues()[size] = value;
        if (spans != null) {
            spans[size] = 0;
        }
        size++;
    }

    /**
     * Makes {@link #names} an array only this record uses, copying it if it is shared or, with
     * {@code keepParsed}, if it is {@link #parsedNames} (which must not change).
     */
    private void ownNames(boolean keepParsed) {
        if (namesShared || keepParsed) {
            names = copy(names, capacity);
            namesShared = false;
        }
    }

    private Value[] writableValues() {
        Value[] vs = values;
        if (vs == null) {
            vs = new Value[capacity];
            values = vs;
        }
        return vs;
    }

    /**
     * Appends a field whose value is the {@link Value.Token} {@code line()[offset, offset+length)}
     * with {@code encoding}, as the parser finds it; the Token object is made only if
     * {@link #value(int)} is asked for it. A line of at most 16 MiB.
     */
    private void addToken(String name, int offset, int length, Encoding encoding) {
        if (offset < 0 || length < 0 || length > 0xffffff || offset > line.length - length) {
            throw badToken(offset, length);
        }
        if (size == capacity) {
            grow();
        }
        if (spans == null) {
            spans = new long[capacity];
        }
        if (names[size] != name) {
            // the names so far are what records made like this one share; a name that differs
            // starts this record's own array, which they share instead
            ownNames(false);
            names[size] = name;
            parsedNames = names;
        }
        // values[size] is null already: no field past size keeps a value (remove clears it)
        spans[size] = RecordAccess.span(offset, length, encoding);
        size++;
        parsedSize++;
    }

    /** The first {@code min(length, n)} names in an array of {@code n}. */
    private static String[] copy(String[] names, int n) {
        // not Arrays.copyOf: for a String[] it makes the array by reflection, a native call
        // under C1, the launcher's compiler
        String[] copy = new String[n];
        System.arraycopy(names, 0, copy, 0, Math.min(names.length, n));
        return copy;
    }

    private IndexOutOfBoundsException badToken(int offset, int length) {
        return new IndexOutOfBoundsException("token [" + offset + ", +" + length + ") in a line of " + line.length);
    }

    private void grow() {
        int n = size * 2;
        capacity = n;
        if (names.length < n) {
            names = copy(names, n);
            namesShared = false;
        }
        if (values != null) {
            Value[] vs = new Value[n];
            System.arraycopy(values, 0, vs, 0, size);
            values = vs;
        }
        if (spans != null) {
            spans = Arrays.copyOf(spans, n);
        }
    }

    /** Replaces the value of the first field called {@code name}, or appends the field. */
    public void set(String name, Value value) {
        int i = indexOf(name);
        if (i < 0) {
            add(name, value);
        } else {
            writableValues()[i] = value;
            if (spans != null) {
                spans[i] = 0;
            }
        }
    }

    /** Replaces the value of field {@code i}. */
    public void set(int i, Value value) {
        checkIndex(i);
        writableValues()[i] = value;
        if (spans != null) {
            spans[i] = 0;
        }
    }

    /** Removes the first field called {@code name}; returns whether there was one. */
    public boolean remove(String name) {
        int i = indexOf(name);
        if (i < 0) {
            return false;
        }
        remove(i);
        return true;
    }

    /** Removes field {@code i}; the fields after it move up by one. */
    public void remove(int i) {
        checkIndex(i);
        ownNames(names == parsedNames);
        System.arraycopy(names, i + 1, names, i, size - i - 1);
        if (values != null) {
            System.arraycopy(values, i + 1, values, i, size - i - 1);
        }
        if (spans != null) {
            System.arraycopy(spans, i + 1, spans, i, size - i - 1);
            spans[size - 1] = 0;
        }
        size--;
        names[size] = null;
        if (values != null) {
            values[size] = null;
        }
        if (enrichedFrom > i) {
            enrichedFrom--;
        }
    }

    // Small enough for C1 (the launcher's compiler) to inline: the message is built elsewhere.
    private void checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw outOfBounds(i);
        }
    }

    private IndexOutOfBoundsException outOfBounds(int i) {
        return new IndexOutOfBoundsException("field " + i + " of " + size);
    }

    static long parseDecimal(byte[] b, int off, int len, long fallback) {
        if (len == 0 || len > 20) {
            return fallback;
        }
        int i = off;
        int end = off + len;
        boolean negative = b[i] == '-';
        if (negative && ++i == end) {
            return fallback;
        }
        long n = 0;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return fallback;
            }
            long next = n * 10 - d;     // accumulate negatively to reach Long.MIN_VALUE
            if (n < Long.MIN_VALUE / 10 || next > n) {
                return fallback;
            }
            n = next;
        }
        if (negative) {
            return n;
        }
        return n == Long.MIN_VALUE ? fallback : -n;
    }

    /** The storage that {@link dev.laurel.api.internal.Records} serves to the engine and built-ins. */
    private static final class Access extends RecordAccess {
        @Override
        protected Record create(RecordType type, byte[] line, int capacity) {
            return new Record(type, line, capacity);
        }

        @Override
        protected Record createLike(RecordType type, byte[] line, Record like) {
            return new Record(type, line, like);
        }

        @Override
        protected void addToken(Record r, String name, int offset, int length, Encoding encoding) {
            r.addToken(name, offset, length, encoding);
        }

        @Override
        protected Encoding tokenEncoding(Record r, int i) {
            return r.lineTokenEncoding(i);
        }

        @Override
        protected long[] spans(Record r) {
            return r.spans;
        }

        @Override
        protected int tokenOffset(Record r, int i) {
            return r.lineTokenOffset(i);
        }

        @Override
        protected int tokenLength(Record r, int i) {
            return r.lineTokenLength(i);
        }

        @Override
        protected boolean tokenIs(Record r, int i, String ascii) {
            return r.tokenIs(i, ascii);
        }

        @Override
        protected void markEnrichedStart(Record r) {
            r.markEnrichedStart();
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(type.name()).append('{');
        for (int i = 0; i < size; i++) {
            sb.append(i == 0 ? "" : " ").append(names[i]).append('=').append(value(i));
        }
        return sb.append('}').toString();
    }
}
