package dev.laurel.engine.parse;

import dev.laurel.api.Encoding;
import dev.laurel.api.EventId;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.api.internal.Records;
import dev.laurel.engine.input.DiagnosticText;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Parses one line of auditd's output into a {@link ParsedRecord}, working on bytes.
 *
 * <p>Accepts every form auditd writes: an optional {@code node=NAME } prefix,
 * {@code type=NAME} or {@code type=UNKNOWN[n]}, {@code msg=audit(SEC.MSEC:SERIAL):}, then
 * {@code key=value} fields; ENRICHED format's translations after a 0x1D byte (upper-case keys,
 * possibly unquoted values with spaces such as {@code SADDR={ saddr_fam=inet ... }}); user-space
 * records' single-quoted {@code msg='...'}; quoted, bare and hex-encoded values, {@code (null)}
 * and {@code ?}.
 *
 * <p>Every value becomes a {@link Value.Token} over the record's own copy of the line:
 * <ul>
 *   <li>{@code "..."} DOUBLE_QUOTED, {@code '...'} SINGLE_QUOTED (a quoted value ends at the
 *       first matching quote followed by a space or the end, so it may hold spaces; a user-space
 *       {@code msg='...'} ends at the line's last {@code '} followed by the 0x1D or the end, as
 *       auditd reads it, so the message's own quotes cannot end it);</li>
 *   <li>{@code {...}} BRACED, braces included: in the record, at the brace matching the first;
 *       after the 0x1D (ENRICHED {@code SADDR={ ... }}, which holds a socket path verbatim), at
 *       the last {@code }} of the line, so that the path cannot end it;</li>
 *   <li>{@code (null)} NULL, {@code ?} UNSET, nothing after {@code =} EMPTY;</li>
 *   <li>for fields of kind {@link FieldKind#ENCODED}, a non-empty even run of hex digits HEX;</li>
 *   <li>anything else up to the next space BARE.</li>
 * </ul>
 * Words without {@code =} are kept: SELinux's {@code avc:  denied  { read write } for } gives a
 * field {@code denied} (or {@code granted}) with the BRACED permissions ({@code avc:} and
 * {@code for} are dropped as syntax); any other word, such as {@code netlabel:} or
 * {@code policy loaded}, becomes a field named by the word exactly as written whose value is a
 * NULL token of length 0. Words other than those auditd is known to write, and quotes or
 * braces that do not close, count as {@linkplain #warnings() warnings}; the data is kept.
 *
 * <p>Not thread-safe (reuses scratch state); one per reading thread.
 */
public final class LineParser implements Parser {
    private static final byte SP = ' ';
    private static final byte GS = 0x1d;
    private static final byte[] NODE = ascii("node=");
    private static final byte[] TYPE = ascii("type=");
    private static final byte[] MSG = ascii("msg=audit(");
    private static final byte[] UNKNOWN = ascii("UNKNOWN[");
    private static final byte[] NULL_WORD = ascii("(null)");
    private static final List<String> FLAG_WORDS = List.of("netlabel:", "policy", "loaded");
    private static final int TYPE_SLOTS = 64;
    private static final boolean[] HEX_DIGIT = new boolean[256];

    static {
        for (byte c : ascii("0123456789ABCDEFabcdef")) {
            HEX_DIGIT[c] = true;
        }
    }

    /** The longest line whose record is kept for the next of its type to share its names. */
    private static final int KEPT_LINE = 16 * 1024;

    /** {@link #fields}' answer for a body the one pass cannot split from its ENRICHED fields. */
    private static final int REDO = -2;

    private final NameCache<FieldKind> fieldNames =
            new NameCache<>(2048, FieldKinds.knownNames(), FieldKinds::byName);
    private final NameCache<RecordType> typeNames =
            new NameCache<>(512, List.of(), RecordType::named);
    private final NameCache<Object> nodeNames = new NameCache<>(64, List.of(), n -> null);

    private String lastError;
    private String lastWarning;
    private long warnings;

    // scratch state of the line being parsed
    private byte[] buf;
    private int end;
    private RecordType type;
    private Record record;
    /** The entry whose {@code next} predicts the coming field name (see NameCache.Entry). */
    private NameCache.Entry<?> previousName;
    /**
     * For each of a few record types (by code), the type of the line that followed one of that
     * type last time; {@link #typeAfterSlot} is the slot of the last line's type, or -1.
     */
    @SuppressWarnings("unchecked")
    private final NameCache.Entry<RecordType>[] typeAfter = (NameCache.Entry<RecordType>[]) new NameCache.Entry<?>[TYPE_SLOTS];
    private int typeAfterSlot = -1;
    /** The id of the last line parsed, or {@code null}. */
    private EventId lastId;
    /**
     * The {@code msg=audit(...):} bytes {@link #lastId} was read from ({@link #lastHeaderLength}
     * of them; 0 for none).
     */
    private final byte[] lastHeader = new byte[64];
    private int lastHeaderLength;
    /** Where the header {@link #eventId} read ends. */
    private int headerEnd;
    /** What {@link #bareEnd} found: the value was all hex digits. */
    private boolean bareIsHex;
    /** Where the ENRICHED fields of the line begin (after the 0x1D); past the end before they are parsed. */
    private int enrichedStart;
    /** The line's last {@code '} followed by a 0x1D or the end ({@link #messageEnd}); -1 none, -2 not looked for. */
    private int messageQuote;
    /** The line's last {@code }} followed by a space or the end ({@link #lastBrace}); -1 none, -2 not looked for. */
    private int lineBrace;

    /**
     * Parses {@code line[offset, offset+length)} (no trailing newline; a trailing {@code \r} is
     * ignored). The returned record owns a copy of those bytes. Returns {@code null} for a line
     * that is not an audit record, with the reason in {@link #lastError()}; never throws for
     * any input.
     */
    @Override
    public ParsedRecord parse(byte[] line, int offset, int length) {
        lastError = null;
        lastWarning = null;
        if (line == null || offset < 0 || length < 0 || offset > line.length - length) {
            return fail("no line");
        }
        int n = length;
        while (n > 0 && (line[offset + n - 1] == '\n' || line[offset + n - 1] == '\r')) {
            n--;
        }
        buf = java.util.Arrays.copyOfRange(line, offset, offset + n);
        end = n;
        enrichedStart = Integer.MAX_VALUE;
        messageQuote = -2;
        lineBrace = -2;
        try {
            return parseLine();
        } finally {
            buf = null;
            record = null;
            type = null;
            previousName = null;
        }
    }

    /** Why the last {@link #parse} returned {@code null}; {@code null} after a success. */
    @Override
    public String lastError() {
        return lastError;
    }

    /**
     * What the last {@link #parse} kept but found irregular (a stray word, an unclosed quote),
     * or {@code null}.
     */
    @Override
    public String lastWarning() {
        return lastWarning;
    }

    /** How many irregularities this parser has met in all lines so far. */
    public long warnings() {
        return warnings;
    }

    private ParsedRecord parseLine() {
        int pos = 0;
        String node = null;
        if (startsWith(pos, NODE)) {
            int s = pos + NODE.length;
            int e = indexOf(SP, s, end);
            if (e < 0 || e == s) {
                return fail("node= without a name and a record");
            }
            node = nodeNames.get(buf, s, e - s).name;
            pos = skipSpaces(e);
        }
        if (!startsWith(pos, TYPE)) {
            return fail("no type= at column " + pos);
        }
        int s = pos + TYPE.length;
        int e = indexOf(SP, s, end);
        if (e < 0) {
            return fail("no msg=audit(...) after the type");
        }
        type = recordType(s, e);
        if (type == null) {
            return fail("unknown record type " + DiagnosticText.of(buf, s, e - s));
        }
        pos = skipSpaces(e);
        // The lines of an event come one after another: a header byte for byte the last one's
        // is the last id, with no digits to read again.
        int h = lastHeaderLength;
        EventId id;
        if (h > 0 && sameHeader(pos, h)) {
            id = lastId;
            pos += h;
        } else {
            int headerStart = pos;
            id = eventId(pos);
            if (id == null) {
                return null;
            }
            pos = headerEnd;
            if (pos - headerStart <= lastHeader.length) {
                System.arraycopy(buf, headerStart, lastHeader, 0, pos - headerStart);
                lastHeaderLength = pos - headerStart;
            } else {
                lastHeaderLength = 0;
            }
        }
        // Room for as many fields as the type's last record had: counting them would cost a
        // second pass over the line. Its names are most likely this one's too: shared, not copied.
        NameCache.Entry<?> typeEntry = previousName;
        int capacity = typeEntry == null ? 16 : typeEntry.fields;
        Record like = typeEntry == null ? null : typeEntry.last;
        record = newRecord(type, like, capacity);
        // One pass finds the body's fields and the 0x1D before the ENRICHED ones (see fields).
        long warningsBefore = warnings;
        int gs = fields(pos, end, GS, false);
        if (gs == REDO) {
            warnings = warningsBefore;
            lastWarning = null;
            record = newRecord(type, like, capacity);
            gs = enrichedSeparator(pos, end);
            fields(pos, gs < 0 ? end : gs, SP, false);
        }
        if (gs >= 0) {
            Records.markEnrichedStart(record);
            enrichedStart = gs + 1;
            fields(gs + 1, end, SP, true);
        }
        if (typeEntry != null) {
            typeEntry.fields = Math.min(Math.max(record.size(), 1), 4096);
            // kept until the next line of its type: not a long line (an EXECVE of a few MB)
            typeEntry.last = end <= KEPT_LINE ? record : null;
        }
        return new ParsedRecord(node, id, record);
    }

    /**
     * The id in {@code msg=audit(SECONDS.MILLIS:SERIAL):} at {@code pos}, with its end in
     * {@link #headerEnd}; {@code null} with the reason in {@link #lastError()} if there is none.
     * The lines of an event come one after the other: they share one id object.
     */
    private EventId eventId(int pos) {
        if (!startsWith(pos, MSG)) {
            return noId("no msg=audit( at column " + pos);
        }
        pos += MSG.length;
        // SECONDS.MILLIS:SERIAL):
        int secEnd = digits(pos);
        if (secEnd == pos || secEnd - pos > 18 || secEnd >= end || buf[secEnd] != '.') {
            return noId("bad seconds in msg=audit(");
        }
        long seconds = number(pos, secEnd);
        pos = secEnd + 1;
        int msEnd = digits(pos);
        if (msEnd - pos != 3 || msEnd >= end || buf[msEnd] != ':') {
            return noId("bad milliseconds in msg=audit(");
        }
        int millis = (int) number(pos, msEnd);
        pos = msEnd + 1;
        int serialEnd = digits(pos);
        if (serialEnd == pos || serialEnd - pos > 18 || serialEnd + 1 >= end
                || buf[serialEnd] != ')' || buf[serialEnd + 1] != ':') {
            return noId("bad serial in msg=audit(");
        }
        long serial = number(pos, serialEnd);
        headerEnd = serialEnd + 2;
        EventId id = lastId;
        if (id == null || id.serial() != serial || id.seconds() != seconds || id.millis() != millis) {
            id = new EventId(seconds, millis, serial);
            lastId = id;
        }
        return id;
    }

    /** Whether the line at {@code pos} holds the {@code h} bytes of {@link #lastHeader}. */
    private boolean sameHeader(int pos, int h) {
        if (end - pos < h) {
            return false;
        }
        byte[] b = buf;
        byte[] last = lastHeader;
        for (int i = 0; i < h; i++) {
            if (b[pos + i] != last[i]) {
                return false;
            }
        }
        return true;
    }

    /** An empty record for the line: sharing the names of {@code like} if there is one. */
    private Record newRecord(RecordType type, Record like, int capacity) {
        return like == null ? Records.create(type, buf, capacity) : Records.createLike(type, buf, like);
    }

    private RecordType recordType(int s, int e) {
        if (startsWith(s, UNKNOWN) && e - s > UNKNOWN.length + 1 && buf[e - 1] == ']') {
            int d = s + UNKNOWN.length;
            // the kernel's types are 16-bit; the bound also caps RecordType's cache of numbers
            if (digits(d) == e - 1 && e - 1 - d <= 5 && number(d, e - 1) <= 0xffff) {
                return RecordType.of((int) number(d, e - 1));
            }
            return null;
        }
        // SYSCALL, then PROCTITLE, PATH..., then EOE: try the type that came after the previous
        // line's type last time before hashing the name.
        int after = typeAfterSlot;
        NameCache.Entry<RecordType> guess = after < 0 ? null : typeAfter[after];
        NameCache.Entry<RecordType> entry;
        if (NameCache.matches(guess, buf, s, e - s)) {
            entry = guess;
        } else {
            entry = typeNames.get(buf, s, e - s);
            if (after >= 0) {
                typeAfter[after] = entry;
            }
        }
        typeAfterSlot = entry.value == null ? -1 : entry.value.code() & (TYPE_SLOTS - 1);
        previousName = entry;
        return entry.value;
    }

    /**
     * Parses {@code key=value} fields and stray words in {@code [pos, limit)}.
     *
     * <p>With {@code stop} = 0x1D (the record's body, up to the end of the line) a 0x1D where a
     * field could start is auditd's ENRICHED separator: parsing stops there and returns its
     * position. A value's end is then also a 0x1D (a bare value, a closing quote or brace may be
     * followed by one), so a quoted or braced value holding one does not end the body; this
     * finds the separator {@link #enrichedSeparator} finds, in the same pass as the fields. Two
     * irregular bodies, a quote that does not close and a field without a name ({@code =x}),
     * are where that search walks differently from the fields: for those it returns {@link #REDO}
     * and the caller parses the line in two passes (search, then fields), as it always did.
     * With {@code stop} = space, nothing but {@code limit} ends the fields; returns -1 at
     * {@code limit}. SELinux's permissions are looked for unless {@code enriched}.
     */
    private int fields(int pos, int limit, byte stop, boolean enriched) {
        while (true) {
            pos = skipSpaces(pos, limit);
            if (pos >= limit) {
                return -1;
            }
            // C1, the launcher's compiler, hoists nothing out of loops: read the fields once.
            byte[] b = buf;
            if (b[pos] == stop) {
                return pos;
            }
            NameCache.Entry<?> prev = previousName;
            NameCache.Entry<FieldKind> guess = prev == null ? null : prev.next;
            // auditd writes a record type's fields in the same order line after line: first
            // see whether the name expected here is followed by its '=', byte for byte, with no
            // search for the '=' and no hashing. (A name holding a 0x1D was learnt after the
            // separator; in the body it would end there, so it is never taken this way.)
            if (guess != null && guess.plain) {
                byte[] expected = guess.key;
                int n = expected.length;
                int eq = pos + n;
                if (eq < limit && b[eq] == '=') {
                    int j = 0;
                    while (j < n && b[pos + j] == expected[j]) {
                        j++;
                    }
                    if (j == n) {
                        previousName = guess;
                        pos = value(guess, eq + 1, limit, stop);
                        if (pos == REDO) {
                            return REDO;
                        }
                        continue;
                    }
                }
            }
            int k = pos;
            byte c = 0;
            while (k < limit && (c = b[k]) != SP && c != '=' && c != stop) {
                k++;
            }
            if (k < limit && c == '=') {
                if (k > pos) {
                    pos = value(lookUpName(prev, pos, k - pos), k + 1, limit, stop);
                    if (pos == REDO) {
                        return REDO;
                    }
                    continue;
                }
                if (stop != SP) {
                    return REDO;
                }
            }
            int w = wordEnd(pos, limit, stop);
            if (!enriched) {
                int next = permissions(pos, w, limit, stop);
                if (next >= 0) {
                    pos = next;
                    continue;
                }
            }
            NameCache.Entry<FieldKind> word = fieldNames.get(buf, pos, w - pos);
            if (!FLAG_WORDS.contains(word.name)) {
                warn("kept a word without '=': " + DiagnosticText.of(word.name));
            }
            Records.addToken(record, word.name, w, 0, Encoding.NULL);
            pos = w;
        }
    }

    /** The cached name {@code buf[s, s+len)} when it is not the expected one; it becomes the one expected after {@code prev}. */
    private NameCache.Entry<FieldKind> lookUpName(NameCache.Entry<?> prev, int s, int len) {
        NameCache.Entry<FieldKind> name = fieldNames.get(buf, s, len);
        if (prev != null) {
            prev.next = name;
        }
        previousName = name;
        return name;
    }

    /**
     * SELinux's {@code [avc:]  denied|granted  { perm ... } [for]} starting with the word
     * {@code [s, w)}: adds the field and returns where it ends, or -1 if this is not one.
     */
    private int permissions(int s, int w, int limit, byte stop) {
        if (is(s, w, "avc:")) {
            s = skipSpaces(w, limit);
            w = wordEnd(s, limit, stop);
        }
        if (!is(s, w, "denied") && !is(s, w, "granted")) {
            return -1;
        }
        int b = skipSpaces(w, limit);
        int close = b < limit && buf[b] == '{' ? closeBrace(b, limit, stop) : -1;
        if (close < 0) {
            return -1;
        }
        Records.addToken(record, fieldNames.get(buf, s, w - s).name, b, close + 1 - b, Encoding.BRACED);
        int f = skipSpaces(close + 1, limit);
        int fw = wordEnd(f, limit, stop);
        return is(f, fw, "for") ? fw : close + 1;
    }

    /** The end of the word at {@code s}: the next space or {@code stop}, else {@code limit}. */
    private int wordEnd(int s, int limit, byte stop) {
        byte[] b = buf;
        int i = s;
        byte c;
        while (i < limit && (c = b[i]) != SP && c != stop) {
            i++;
        }
        return i;
    }

    /**
     * Adds the field whose value starts at {@code v}; returns where the value ends, or
     * {@link #REDO} for a quote that does not close in the body's one pass (see {@link #fields}).
     */
    private int value(NameCache.Entry<FieldKind> name, int v, int limit, byte stop) {
        if (v >= limit || buf[v] == SP || buf[v] == stop) {
            Records.addToken(record, name.name, v, 0, Encoding.EMPTY);
            return v;
        }
        byte c = buf[v];
        if (c == '"' || c == '\'') {
            int close = c == '\'' && name.name.equals("msg") ? messageEnd(v, limit) : -1;
            if (close < 0) {
                close = closeQuote(c, v + 1, limit, stop);
            }
            if (close >= 0) {
                Encoding enc = c == '"' ? Encoding.DOUBLE_QUOTED : Encoding.SINGLE_QUOTED;
                Records.addToken(record, name.name, v + 1, close - v - 1, enc);
                return close + 1;
            }
            if (stop != SP) {
                return REDO;
            }
            warn("unclosed quote in " + DiagnosticText.of(name.name));
        } else if (c == '{') {
            int close = v >= enrichedStart ? lastBrace(v, limit) : closeBrace(v, limit, stop);
            if (close >= 0) {
                Records.addToken(record, name.name, v, close + 1 - v, Encoding.BRACED);
                return close + 1;
            }
            warn("unclosed brace in " + DiagnosticText.of(name.name));
        }
        // Only an ENCODED name may be hex, and only 6 or 1 bytes may be (null) or ?: for the
        // others, no call to bareEncoding (calls are what C1-compiled code spends on most).
        boolean encoded = name.value == FieldKind.ENCODED;
        int e;
        if (encoded) {
            e = bareEnd(v, limit, stop);
        } else {
            // wordEnd's loop, written here: most values are bare, and C1 would not inline it
            byte[] b = buf;
            e = v;
            while (e < limit && (c = b[e]) != SP && c != stop) {
                e++;
            }
        }
        int len = e - v;
        Encoding enc = !encoded && len != 6 && len != 1 ? Encoding.BARE : bareEncoding(name, v, e);
        Records.addToken(record, name.name, v, len, enc);
        return e;
    }

    /**
     * The end of the bare value at {@code v}, as {@link #wordEnd}, noting in {@link #bareIsHex}
     * whether every byte of it is a hex digit, in the same pass (a long hex-encoded value, a
     * proctitle or an argument, was read twice).
     */
    private int bareEnd(int v, int limit, byte stop) {
        byte[] b = buf;
        boolean[] hex = HEX_DIGIT;
        boolean allHex = true;
        int i = v;
        byte c;
        while (i < limit && (c = b[i]) != SP && c != stop) {
            allHex &= hex[c & 0xff];
            i++;
        }
        bareIsHex = allHex;
        return i;
    }

    /** Only for a name of kind ENCODED: {@link #bareEnd} found hex digits alone. */
    private Encoding bareEncoding(NameCache.Entry<FieldKind> name, int s, int e) {
        int len = e - s;
        if (len == 6 && buf[s] == '(' && startsWith(s, NULL_WORD)) {
            return Encoding.NULL;
        }
        if (len == 1 && buf[s] == '?') {
            return Encoding.UNSET;
        }
        FieldKind kind = name.value;
        // Only an ENCODED kind makes a token HEX, so the per-type exceptions matter only then.
        if (kind == FieldKind.ENCODED && (type == RecordType.SYSCALL || type == RecordType.EXECVE)) {
            FieldKind special = FieldKinds.special(type, name.name);
            if (special != null) {
                kind = special;
            }
        }
        if (kind == FieldKind.ENCODED && (len & 1) == 0 && len > 0 && bareIsHex) {
            return Encoding.HEX;
        }
        return Encoding.BARE;
    }

    /** The closing quote: the first {@code q} followed by a space, {@code stop} or the limit, or -1. */
    private int closeQuote(byte q, int from, int limit, byte stop) {
        byte[] b = buf;
        int last = limit - 1;
        for (int i = from; i < last; i++) {
            byte next;
            if (b[i] == q && ((next = b[i + 1]) == SP || next == stop)) {
                return i;
            }
        }
        return from <= last && b[last] == q ? last : -1;
    }

    /** The brace closing the one at {@code open}, followed by a space, {@code stop} or the limit, or -1. */
    private int closeBrace(int open, int limit, byte stop) {
        byte[] b = buf;
        int depth = 0;
        for (int i = open; i < limit; i++) {
            if (b[i] == '{') {
                depth++;
            } else if (b[i] == '}' && --depth == 0) {
                return i + 1 == limit || b[i + 1] == SP || b[i + 1] == stop ? i : -1;
            }
        }
        return -1;
    }

    /**
     * The quote closing a user-space message {@code msg='...'} opened at {@code open}, by auditd's
     * rule: the last {@code '} of the line followed by the ENRICHED 0x1D or the end of the line,
     * so that quotes and {@code key=value} text inside the message (a host name, an account name
     * chosen by whoever logs in) cannot end it and add fields. -1 if there is none before
     * {@code limit}; the caller then ends the message at the first quote followed by a space.
     */
    private int messageEnd(int open, int limit) {
        int q = messageQuote;
        if (q == -2) {
            q = lastFollowedBy((byte) '\'', GS);
            messageQuote = q;
        }
        return q > open && q < limit ? q : -1;
    }

    /**
     * The brace closing an ENRICHED braced value opened at {@code open}: the last {@code }}
     * before {@code limit} followed by a space or the limit, or -1. auditd writes
     * {@code SADDR={ saddr_fam=local path=PATH }} with the socket's path verbatim, and the path is
     * anyone's choice: it may hold {@code " } "} and {@code key=value} text, so the value's end
     * is looked for from the line's end (SADDR is the record's last field), not from its start.
     * Looked for once per line: a line of many unclosed braces is not read again for each.
     */
    private int lastBrace(int open, int limit) {
        int close = lineBrace;
        if (close == -2) {
            close = lastFollowedBy((byte) '}', SP);
            lineBrace = close;
        }
        return close > open && close < limit ? close : -1;
    }

    /** The line's last {@code c} followed by {@code next} or by the end of the line, or -1. */
    private int lastFollowedBy(byte c, byte next) {
        byte[] b = buf;
        for (int i = end - 1; i >= 0; i--) {
            if (b[i] == c && (i + 1 == end || b[i + 1] == next)) {
                return i;
            }
        }
        return -1;
    }

    private void warn(String what) {
        warnings++;
        if (lastWarning == null) {
            lastWarning = what;
        }
    }

    /**
     * The 0x1D before auditd's ENRICHED fields: the first one outside a quoted value, so that a
     * quoted argument holding one (the kernel would hex-encode it; a user-space message might not)
     * cannot add fields. Values are delimited as {@link #fields} does; with a quote that does
     * not close, simply the first 0x1D. -1 if none. A separate pass, used only for the irregular
     * bodies {@link #fields} cannot split in its one pass.
     */
    private int enrichedSeparator(int from, int to) {
        int first = indexOf(GS, from, to);
        if (first < 0) {
            return -1;
        }
        int i = from;
        while (i < to) {
            byte b = buf[i];
            if (b == GS) {
                return i;
            }
            if (b == SP) {
                i++;
                continue;
            }
            int k = i;
            while (k < to && buf[k] != SP && buf[k] != '=' && buf[k] != GS) {
                k++;
            }
            if (k == to || buf[k] != '=') {
                // a word without '='; SELinux's permissions are a braced value after it
                boolean permissions = is(i, k, "denied") || is(i, k, "granted");
                i = k;
                if (permissions) {
                    int open = i;
                    while (open < to && buf[open] == SP) {
                        open++;
                    }
                    int close = open < to && buf[open] == '{' ? braceBeforeSeparator(open, to) : -1;
                    if (close >= 0) {
                        i = close + 1;
                    }
                }
                continue;
            }
            int v = k + 1;
            if (v < to && buf[v] == '{') {
                int close = braceBeforeSeparator(v, to);
                if (close >= 0) {
                    i = close + 1;
                    continue;
                }
            }
            if (v < to && (buf[v] == '"' || buf[v] == '\'')) {
                byte q = buf[v];
                int close = q == '\'' && is(i, k, "msg") ? messageEnd(v, to) : -1;
                for (int j = v + 1; j < to && close < 0; j++) {
                    if (buf[j] == q && (j + 1 == to || buf[j + 1] == SP || buf[j + 1] == GS)) {
                        close = j;
                        break;
                    }
                }
                if (close < 0) {
                    return first;
                }
                i = close + 1;
                continue;
            }
            while (v < to && buf[v] != SP && buf[v] != GS) {
                v++;
            }
            i = v;
        }
        return -1;
    }

    /** As {@link #closeBrace}, with the closing brace also followed by a 0x1D. */
    private int braceBeforeSeparator(int open, int to) {
        int depth = 0;
        for (int i = open; i < to; i++) {
            if (buf[i] == '{') {
                depth++;
            } else if (buf[i] == '}' && --depth == 0) {
                return i + 1 == to || buf[i + 1] == SP || buf[i + 1] == GS ? i : -1;
            }
        }
        return -1;
    }

    private EventId noId(String why) {
        lastError = why;
        return null;
    }

    private ParsedRecord fail(String why) {
        lastError = why;
        return null;
    }

    private boolean startsWith(int pos, byte[] prefix) {
        if (end - pos < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buf[pos + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean is(int s, int e, String ascii) {
        if (e - s != ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (buf[s + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int indexOf(byte b, int from, int limit) {
        byte[] buf = this.buf;
        for (int i = from; i < limit; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private int skipSpaces(int pos) {
        return skipSpaces(pos, end);
    }

    private int skipSpaces(int pos, int limit) {
        byte[] buf = this.buf;
        while (pos < limit && buf[pos] == SP) {
            pos++;
        }
        return pos;
    }

    private int digits(int pos) {
        byte[] buf = this.buf;
        int end = this.end;
        byte c;
        while (pos < end && (c = buf[pos]) >= '0' && c <= '9') {
            pos++;
        }
        return pos;
    }

    private long number(int s, int e) {
        byte[] buf = this.buf;
        long n = 0;
        for (int i = s; i < e; i++) {
            n = n * 10 + (buf[i] - '0');
        }
        return n;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
