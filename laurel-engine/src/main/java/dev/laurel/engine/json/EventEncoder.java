package dev.laurel.engine.json;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Encoding;
import dev.laurel.api.EventId;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.api.internal.EventIds;
import dev.laurel.api.internal.Records;
import dev.laurel.engine.assemble.EventAssembler;
import dev.laurel.engine.assemble.LineTokenList;
import dev.laurel.engine.json.FieldNames.Name;
import dev.laurel.engine.parse.FieldKind;
import dev.laurel.engine.parse.FieldKinds;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * Writes an event as one line of LAUREL-compatible JSON (format version 1, see
 * {@code docs/format.md}), into a reused byte buffer ({@link JsonBuffer}).
 *
 * <pre>{@code
 * EventEncoder encoder = new EventEncoder();
 * encoder.encode(event, out);   // {"ID":"1626611363.720:348501","SYSCALL":{...},...}
 * }</pre>
 *
 * <p>In short: {@code ID}, {@code NODE} if any, then one key per record type in order of first
 * appearance; {@code SYSCALL}, {@code EXECVE}, {@code CWD}, {@code PROCTITLE} and the types LAUREL
 * treats as single-record events are objects, every other type a list of objects; enrichers'
 * top-level fields come last. Numbers follow each field's {@link FieldKind}; every string is
 * escaped with {@link PercentCodec}. It never throws for odd content and always writes valid JSON.
 *
 * <p>Not thread-safe: reuses its generator and buffers; one per pipeline thread.
 */
public final class EventEncoder {
    private static final int USER_AUTH = 1100;
    private static final byte[] NULL_LITERAL = {'(', 'n', 'u', 'l', 'l', ')'};
    private static final byte[] UNSET_LITERAL = {'?'};

    private final BiFunction<RecordType, String, FieldKind> kinds;
    private final boolean defaultKinds;
    private final PercentCodec codec = new PercentCodec();
    /** The buffer written to: its own, or a format's ({@link FormatJson}). */
    private final JsonBuffer gen;
    /** Per field name: its JSON key and kinds; see {@link FieldNames}. */
    private final FieldNames names;
    /** A format's own keys for record fields ({@link #writeFields(Record, String[], long)}), made when first needed. */
    private FieldNames formatKeys;
    private final Name idName;
    private final Name nodeName;
    private final Name argvName;
    /*
     * No key twice in one object (docs/format.md §1): a key's Name remembers the number of the
     * last record object (and event object) it was written in, so a repeated key costs one
     * compare to notice; the rare object that has one is then rewritten (JsonBuffer.groupRepeatedKeys).
     */
    private int objectCount;
    private boolean repeatedKey;
    private int eventCount;
    private boolean repeatedEventKey;
    private final byte[] scratch = new byte[64];
    private final Value[] syscallArgs = new Value[4];
    private Record[] recordArray = new Record[16];
    /** Writes an enricher's field or an object's member; made once, as a lambda per call would allocate. */
    private final BiConsumer<String, Value> writeMember = (name, value) -> {
        writeName(name);
        writeValue(FieldKind.TEXT, value);
    };
    /** Writes an enricher's top-level field, noting a key the event object already has (made with {@link #names}). */
    private final BiConsumer<String, Value> writeExtra;
    private Value[] extraSyscallArgs = new Value[4];

    /** An encoder using LAUREL's field kinds ({@link FieldKinds}). */
    public EventEncoder() {
        this(null, new JsonBuffer());
    }

    /** An encoder with its own field-kind table; for tests. */
    EventEncoder(BiFunction<RecordType, String, FieldKind> kinds) {
        this(kinds, new JsonBuffer());
    }

    /**
     * An encoder writing into {@code json}, a {@link FormatJson}'s buffer, with LAUREL's field
     * kinds: the format's keys and these values go to the same buffer.
     */
    EventEncoder(JsonBuffer json) {
        this(null, json);
    }

    private EventEncoder(BiFunction<RecordType, String, FieldKind> kinds, JsonBuffer json) {
        this.gen = json;
        this.defaultKinds = kinds == null;
        this.kinds = kinds == null ? FieldKinds::of : kinds;
        this.names = new FieldNames(defaultKinds, () -> {
            repeatedKey = true;
            repeatedEventKey = true;
        });
        this.idName = names.pinned("ID");
        this.nodeName = names.pinned("NODE");
        this.argvName = names.pinned("ARGV");
        this.writeExtra = (name, value) -> {
            Name n = names.name(name);
            if (n.event == eventCount) {
                repeatedEventKey = true;
            }
            n.event = eventCount;
            gen.name(n.key);
            writeValue(FieldKind.TEXT, value);
        };
    }

    /** Writes {@code event} as JSON to {@code out}, without a trailing newline. */
    public void encode(AuditEvent event, OutputStream out) throws IOException {
        gen.reset();
        writeEvent(event);
        gen.writeTo(out);
    }

    /** {@code event} as JSON bytes, without a trailing newline. */
    public byte[] encode(AuditEvent event) {
        gen.reset();
        writeEvent(event);
        return gen.toByteArray();
    }

    /**
     * Writes {@code event} in the laurel format into the buffer: what the {@code laurel} format
     * does when it is not the engine's own fast path ({@link LaurelFormat}).
     */
    void encodeInto(AuditEvent event) {
        writeEvent(event);
    }

    /**
     * Field {@code k} of {@code r}'s value, as {@link #writeFields(Record)} writes it: for
     * {@link FormatJson#fieldValue}. A SYSCALL's folded {@code ARGV} is written as its arguments
     * are, in hex; a PROCTITLE's text as the list of its arguments (LAUREL's
     * {@code PROCTITLE.ARGV}).
     */
    void writeFieldValue(Record r, int k) {
        RecordType type = r.type();
        String name = r.name(k);
        if (type == RecordType.PROCTITLE && name.equals("proctitle") && isProctitleText(r.value(k))) {
            writeProctitleList(r.value(k));
            return;
        }
        // A format asks for scattered fields (the SYSCALL's pid, comm, exe, uid, ...), in no order
        // FieldNames' guess would follow: the kind comes from the last layout of the type when it
        // has this name at this place (a kind depends on the type and name alone), and the spans
        // are found once per record and event (see forgetRecord).
        FieldLayout layout = valueLayouts[2 * (type.code() & (valueLayouts.length / 2 - 1))];   // the set's newer way
        if (layout == null || layout.type != type) {
            layout = layout(r, null, valueLayouts);
        }
        FieldKind kind = k < layout.names.length && layout.names[k] == name ? layout.kinds[k] : kind(type, name, names.name(name));
        if (r != valueRecord) {
            valueRecord = r;
            valueSpans = Records.spans(r);
        }
        long[] spans = valueSpans;
        long span = spans == null ? 0 : spans[k];
        if (span != 0) {
            writeLineTokenValue(type, name, kind, r.line(), span);
            return;
        }
        Value v = r.value(k);
        if (type == RecordType.SYSCALL && v instanceof Value.ListValue list && name.equals("ARGV")) {
            writeSyscallArgList(list.items());
        } else if (v instanceof Value.Token t) {
            writeToken(kind, emptyIsString(type, name), t);
        } else {
            writeValue(FieldKind.TEXT, v);
        }
    }

    /** The record {@link #writeFieldValue} last wrote a field of, in this event, and its spans. */
    private Record valueRecord;
    private long[] valueSpans;
    /** {@link #writeFieldValue}'s layouts (without format keys), apart from {@link #layouts}: they would evict each other. */
    private final FieldLayout[] valueLayouts = new FieldLayout[128];

    /**
     * Forgets the record {@link #writeFieldValue} knows: called as a format starts and ends an
     * event, as records are changed only between encodings (an enricher may change one of the
     * next event), and none is kept past its event.
     */
    void forgetRecord() {
        valueRecord = null;
        valueSpans = null;
    }

    /**
     * The fields of {@code r} but those in {@code skip} (bit {@code k} for field {@code k}; fields
     * from 64 on are all written), each as {@code "key":value}, the key {@code keys[k]} or, with
     * {@code keys} null, the field's name, the value as {@link #writeFieldValue} writes it: for
     * {@link FormatJson#fields}. One call per record where a format would make two per field,
     * with the keys' bytes and the fields' kinds found once per record layout ({@link #layout}).
     */
    void writeFields(Record r, String[] keys, long skip) {
        RecordType type = r.type();
        long[] spans = type == RecordType.PROCTITLE ? null : Records.spans(r);   // PROCTITLE: writeFieldValue's own rule
        FieldLayout layout = layout(r, keys, layouts);
        byte[][] keyBytes = layout.keyBytes;
        FieldKind[] kinds = layout.kinds;
        byte[] line = r.line();
        for (int k = 0, n = keyBytes.length; k < n; k++) {
            if (k < 64 && (skip & 1L << k) != 0) {
                continue;
            }
            gen.name(keyBytes[k]);
            long span = spans == null ? 0 : spans[k];
            if (span == 0) {
                if (type != RecordType.PROCTITLE && r.value(k) instanceof Value.Text t) {
                    // an enricher's text (hex-decoder's), as writeFieldValue writes it (PROCTITLE has a rule of its own)
                    byte[] text = t.bytes();
                    gen.percentString(text, 0, text.length);
                } else {
                    writeFieldValue(r, k);
                }
                continue;
            }
            // writeLineTokenValue's common cases, written here with the kind found once per
            // layout: a call per field cost the formats more than the writing (C1 inlines little)
            Encoding enc = Records.spanEncoding(span);
            int off = Records.spanOffset(span);
            int len = Records.spanLength(span);
            FieldKind kind = kinds[k];
            if (enc == Encoding.DOUBLE_QUOTED) {
                gen.percentString(line, off, len);
            } else if (enc != Encoding.BARE) {
                writeToken(kind, emptyIsString(type, layout.names[k]), line, off, len, enc);
            } else if (kind == FieldKind.DEC) {
                writeDecimal(line, off, len);
            } else if (kind == FieldKind.HEX) {
                writeRadix(line, off, len, 4);
            } else if (kind == FieldKind.OCT) {
                writeRadix(line, off, len, 3);
            } else {
                gen.percentString(line, off, len);
            }
        }
    }

    /**
     * A record layout: its type, field names (by identity) and keys, with each field's Name, key
     * bytes and kind (as {@link #writeLineTokenValue} finds it).
     */
    private record FieldLayout(RecordType type, String[] names, String[] keys, Name[] fields, byte[][] keyBytes,
            FieldKind[] kinds) {
    }

    /** The last two layouts per record type (two-way set-associative by type number) that {@link #layout} found. */
    private final FieldLayout[] layouts = new FieldLayout[128];

    /**
     * {@code r}'s layout under {@code keys}: the last one of its type when {@code r} has the very
     * same names (the parser shares them between the records of a type, line after line) and
     * keys, or the very same format keys (which {@link dev.laurel.api.internal.RecordFieldsJson}
     * allows only with the names they were made for), else found afresh. A name's Name may be one {@link FieldNames} has since forgotten:
     * its key and kinds are still the name's.
     */
    private FieldLayout layout(Record r, String[] keys, FieldLayout[] layouts) {
        RecordType type = r.type();
        int n = r.size();
        // two ways per set: a type's records may come in two layouts by turns (the ecs format's
        // keys differ with the names, so each layout has its keys array)
        int set = 2 * (type.code() & (layouts.length / 2 - 1));
        for (int slot = set; slot < set + 2; slot++) {
            FieldLayout last = layouts[slot];
            if (last != null && last.type == type && last.keys == keys && last.names.length == n
                    // a format's keys are given only with records of the names they were made for
                    && (keys != null || Records.sameNames(last.names, r))) {
                return last;
            }
        }
        String[] fieldNames = new String[n];
        Name[] fields = new Name[n];
        byte[][] keyBytes = new byte[n][];
        FieldKind[] fieldKinds = new FieldKind[n];
        for (int k = 0; k < n; k++) {
            fieldNames[k] = r.name(k);
            fields[k] = names.name(fieldNames[k]);
            keyBytes[k] = keys == null ? fields[k].key : formatKeys().name(keys[k]).key;
            fieldKinds[k] = kind(type, fieldNames[k], fields[k]);
        }
        FieldLayout layout = new FieldLayout(type, fieldNames, keys, fields, keyBytes, fieldKinds);
        layouts[set + 1] = layouts[set];
        layouts[set] = layout;
        return layout;
    }

    private FieldNames formatKeys() {
        if (formatKeys == null) {
            formatKeys = new FieldNames(false, () -> { });
        }
        return formatKeys;
    }

    /** {@code v} as an enricher's top-level field is written: for {@link FormatJson#value}. */
    void writeValue(Value v) {
        writeValue(FieldKind.TEXT, v);
    }

    private void writeEvent(AuditEvent event) {
        eventCount++;
        repeatedEventKey = false;
        gen.startObject();
        eventKey(idName);
        writeId(event.id());
        if (event.node() != null) {
            eventKey(nodeName);
            writeString(nodeBytes(event.node()));
        }
        // The records in a reused array: the loops below look at them several times, and an
        // array index is cheaper than an interface call per look in C1-compiled code.
        List<Record> list = event.records();
        int n = list.size();
        if (recordArray.length < n) {
            recordArray = new Record[Math.max(n, 2 * recordArray.length)];
        }
        Record[] records = list.toArray(recordArray);
        try {
            writeRecords(records, n);
        } finally {
            Arrays.fill(records, 0, n, null);   // no reference to this event's records is kept
        }
        // forEach rather than the entry set: no iterator and no wrapper per entry
        event.extras().forEach(writeExtra);
        gen.endObject();
        if (repeatedEventKey) {
            gen.groupRepeatedKeys(0);
        }
    }

    /** A top-level key, noted as one of this event's. */
    private void eventKey(Name n) {
        if (n.event == eventCount) {
            repeatedEventKey = true;
        }
        n.event = eventCount;
        gen.name(n.key);
    }

    /** A record field's key, noted as one of the current record object's. */
    private void fieldKey(Name n) {
        int object = objectCount;
        repeatedKey |= n.object == object;
        n.object = object;
        gen.name(n.key);
    }

    /** Starts a record's object; returns where its '{' is, for {@link #endRecordObject}. */
    private int startRecordObject() {
        gen.startObject();
        objectCount++;
        repeatedKey = false;
        return gen.size() - 1;
    }

    /** Ends the record object started at {@code open}, writing a key it repeats once. */
    private void endRecordObject(int open) {
        gen.endObject();
        if (repeatedKey) {
            gen.groupRepeatedKeys(open);
        }
    }

    /**
     * The bytes of a node name. The parser keeps the line's bytes one char each (ISO-8859-1), so
     * that a name that is not UTF-8 is written byte by byte, {@code \xff} as {@code "%ff"} as LAUREL
     * writes it; a name with a char beyond that range can only come from a plugin, as UTF-8.
     */
    private static byte[] nodeBytes(String node) {
        for (int i = 0, n = node.length(); i < n; i++) {
            if (node.charAt(i) > 0xff) {
                return node.getBytes(StandardCharsets.UTF_8);
            }
        }
        return node.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** One key per record type, in order of first appearance. */
    private void writeRecords(Record[] records, int n) {
        for (int i = 0; i < n; i++) {
            RecordType type = records[i].type();
            if (type == RecordType.EOE || seenBefore(records, i, type)) {
                continue;
            }
            eventKey(names.name(type.name()));
            if (type == RecordType.SYSCALL) {
                writeSyscall(records, i, n);
            } else if (type == RecordType.PROCTITLE) {
                writeProctitle(records, i, n);
            } else if (isObject(type)) {
                int open = startRecordObject();
                for (int j = i; j < n; j++) {
                    if (records[j].type() == type) {
                        writeFields(records[j]);
                    }
                }
                endRecordObject(open);
            } else {
                gen.startArray();
                for (int j = i; j < n; j++) {
                    if (records[j].type() == type) {
                        int open = startRecordObject();
                        writeFields(records[j]);
                        endRecordObject(open);
                    }
                }
                gen.endArray();
            }
        }
    }

    private static boolean seenBefore(Record[] records, int i, RecordType type) {
        for (int j = 0; j < i; j++) {
            if (records[j].type() == type) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether LAUREL writes records of this type as one object rather than a list: the four
     * process records, and the types it writes as events by themselves
     * ({@link EventAssembler#isEventByItself}: all types below 1300 except LOGIN (1006), 1406-1419,
     * KERNEL (2000) and everything from 2100 on), found by running LAUREL 0.5.1 on every type number.
     */
    static boolean isObject(RecordType type) {
        return type == RecordType.SYSCALL || type == RecordType.EXECVE || type == RecordType.CWD
                || type == RecordType.PROCTITLE || EventAssembler.isEventByItself(type);
    }

    private void writeFields(Record r) {
        RecordType type = r.type();
        long[] spans = Records.spans(r);     // one call per record, not three per field
        for (int k = 0, n = r.size(); k < n; k++) {
            long span = spans == null ? 0 : spans[k];
            if (span == 0) {
                writeField(type, r.name(k), r.value(k));
            } else {
                writeLineToken(type, r, k, span);
            }
        }
    }

    /**
     * Field {@code k} of {@code r}, a token in the line ({@code span}, see {@link Records#spans}). Nearly every field
     * comes here: bare and double-quoted tokens, the common cases, are written without going
     * through {@link #writeToken}.
     */
    private void writeLineToken(RecordType type, Record r, int k, long span) {
        Encoding enc = Records.spanEncoding(span);
        String name = r.name(k);
        Name n = names.name(name);
        // fieldKey(n), written here: nearly every field comes this way, and C1 would not inline it
        int object = objectCount;
        repeatedKey |= n.object == object;
        n.object = object;
        gen.name(n.key);
        // the value as writeLineTokenValue writes it, written here: a call per field would cost
        // the laurel format, which C1 compiles
        byte[] line = r.line();
        int off = Records.spanOffset(span);
        int len = Records.spanLength(span);
        if (enc == Encoding.DOUBLE_QUOTED) {
            gen.percentString(line, off, len);    // a quoted value is a string, whatever its kind
            return;
        }
        FieldKind kind = defaultKinds ? n.kindIn(type) : kinds.apply(type, name);
        if (enc != Encoding.BARE) {
            writeToken(kind, emptyIsString(type, name), line, off, len, enc);
        } else if (kind == FieldKind.DEC) {
            writeDecimal(line, off, len);
        } else if (kind == FieldKind.HEX) {
            writeRadix(line, off, len, 4);
        } else if (kind == FieldKind.OCT) {
            writeRadix(line, off, len, 3);
        } else {
            gen.percentString(line, off, len);
        }
    }

    /**
     * The value of a field that is a token in the line ({@code span}), named {@code name}, of
     * kind {@code kind}, as {@link #writeLineToken} writes it: for the formats' calls.
     */
    private void writeLineTokenValue(RecordType type, String name, FieldKind kind, byte[] line, long span) {
        Encoding enc = Records.spanEncoding(span);
        int off = Records.spanOffset(span);
        int len = Records.spanLength(span);
        if (enc == Encoding.DOUBLE_QUOTED) {
            gen.percentString(line, off, len);
            return;
        }
        if (enc != Encoding.BARE) {
            writeToken(kind, emptyIsString(type, name), line, off, len, enc);
        } else if (kind == FieldKind.DEC) {
            writeDecimal(line, off, len);
        } else if (kind == FieldKind.HEX) {
            writeRadix(line, off, len, 4);
        } else if (kind == FieldKind.OCT) {
            writeRadix(line, off, len, 3);
        } else {
            gen.percentString(line, off, len);
        }
    }

    private void writeField(RecordType type, String name, Value value) {
        Name n = names.name(name);
        fieldKey(n);
        if (value instanceof Value.Token t) {
            writeToken(kind(type, name, n), emptyIsString(type, name), t);
        } else {
            writeValue(FieldKind.TEXT, value);
        }
    }

    /**
     * Whether an empty value ({@code key=}) is written {@code ""} rather than {@code null}: LAUREL
     * 0.5.1 does so only for {@code subj} in SYSCALL and USER_AUTH (its parser's AppArmor
     * work-around for those two types reads the empty value as a string).
     */
    private static boolean emptyIsString(RecordType type, String name) {
        return (type == RecordType.SYSCALL || type.code() == USER_AUTH) && "subj".equals(name);
    }

    private FieldKind kind(RecordType type, String name, Name n) {
        return defaultKinds ? n.kindIn(type) : kinds.apply(type, name);
    }

    /**
     * SYSCALL: the fields of every SYSCALL record in order; the assembler has folded a0..a3 into
     * an {@code ARGV} list after the fields read from the line, whose tokens are written as hex
     * numbers. A record still holding a0..a3 (built by hand) gets them as ARGV at the end.
     */
    private void writeSyscall(Record[] records, int first, int count) {
        int args = 0;
        boolean folded = false;
        // Several SYSCALL records in one event (never from the kernel): LAUREL writes all their
        // fields, then one ARGV with all their arguments.
        boolean several = false;
        for (int j = first + 1; j < count && !several; j++) {
            several = records[j].type() == RecordType.SYSCALL;
        }
        int open = startRecordObject();
        for (int j = first; j < count; j++) {
            Record r = records[j];
            if (r.type() != RecordType.SYSCALL) {
                continue;
            }
            long[] spans = Records.spans(r);
            for (int k = 0; k < r.size(); k++) {
                String name = r.name(k);
                long span = spans == null ? 0 : spans[k];
                // the length first: a call per field is slow under C1, and few names have two letters
                boolean arg = name.length() == 2 && isSyscallArg(name);
                if (span != 0 && !arg) {
                    writeLineToken(RecordType.SYSCALL, r, k, span);
                    continue;
                }
                Value v = r.value(k);
                if (arg) {
                    args = keepArg(args, v);
                } else if (several && v instanceof Value.ListValue list && name.equals("ARGV")) {
                    List<Value> items = list.items();
                    for (int i = 0, n = items.size(); i < n; i++) {
                        args = keepArg(args, items.get(i));
                    }
                } else if (!folded && v instanceof Value.ListValue list && name.equals("ARGV")) {
                    folded = true;
                    fieldKey(argvName);
                    writeSyscallArgList(list.items());
                } else {
                    writeField(RecordType.SYSCALL, name, v);
                }
            }
        }
        if (folded && args == 0) {
            endRecordObject(open);
            return;
        }
        fieldKey(argvName);
        gen.startArray();
        for (int a = 0; a < args; a++) {
            writeSyscallArg(a < 4 ? syscallArgs[a] : extraSyscallArgs[a - 4]);
        }
        gen.endArray();
        endRecordObject(open);
        Arrays.fill(syscallArgs, null);
        Arrays.fill(extraSyscallArgs, null);
    }

    /** A SYSCALL's folded {@code ARGV}: its arguments as hex numbers, the assembler's from their line. */
    private void writeSyscallArgList(List<Value> items) {
        gen.startArray();
        if (items instanceof LineTokenList spans) {
            writeSyscallArgs(spans);
        } else {
            for (int i = 0, n = items.size(); i < n; i++) {   // by index: no iterator per event
                writeSyscallArg(items.get(i));
            }
        }
        gen.endArray();
    }

    /** The assembler's folded arguments, written from their line: no Token per argument. */
    private void writeSyscallArgs(LineTokenList args) {
        byte[] line = args.line();
        for (int i = 0, n = args.size(); i < n; i++) {
            writeToken(FieldKind.HEX, false, line, args.offset(i), args.length(i), args.encoding(i));
        }
    }

    private void writeSyscallArg(Value v) {
        if (v instanceof Value.Token t) {
            writeToken(FieldKind.HEX, false, t);
        } else {
            writeValue(FieldKind.TEXT, v);
        }
    }

    private int keepArg(int count, Value v) {
        if (count < 4) {
            syscallArgs[count] = v;
        } else {
            if (count - 4 == extraSyscallArgs.length) {
                extraSyscallArgs = Arrays.copyOf(extraSyscallArgs, extraSyscallArgs.length * 2);
            }
            extraSyscallArgs[count - 4] = v;
        }
        return count + 1;
    }

    private static boolean isSyscallArg(String name) {
        if (name.length() != 2) {
            return false;
        }
        // interned names from the parser: the reference compares decide (charAt is slow under C1)
        if (name == "a0" || name == "a1" || name == "a2" || name == "a3") {
            return true;
        }
        return name.charAt(0) == 'a' && name.charAt(1) >= '0' && name.charAt(1) <= '3';
    }

    /**
     * PROCTITLE: the first proctitle with text (decoded, or written by auditd as a plain string)
     * among the event's PROCTITLE records becomes {@code {"ARGV":[...]}} alone. LAUREL merges the
     * records and takes the first {@code proctitle} field: the same when that one has text (also
     * after a record without the field, such as {@code type=UNKNOWN[1327]}); when it has none
     * ({@code proctitle=?}) LAUREL writes every record's fields with duplicate keys, where laurel
     * keeps the command line of a later one without them (docs/format.md §7). Without any text
     * (a hex proctitle no hex-decoder decoded, or no value), the records' fields merged as they are,
     * as for the other object types (and as LAUREL writes them).
     */
    private void writeProctitle(Record[] records, int first, int n) {
        int open = startRecordObject();
        boolean text = false;
        for (int j = first; j < n && !text; j++) {
            text = records[j].type() == RecordType.PROCTITLE && writeProctitleText(records[j].get("proctitle"));
        }
        if (!text) {
            for (int j = first; j < n; j++) {
                if (records[j].type() == RecordType.PROCTITLE) {
                    writeFields(records[j]);
                }
            }
        }
        endRecordObject(open);
    }

    /** Writes {@code "ARGV":[...]} if {@code v} is a command line with text; whether it was. */
    private boolean writeProctitleText(Value v) {
        if (!isProctitleText(v)) {
            return false;
        }
        fieldKey(argvName);
        writeProctitleList(v);
        return true;
    }

    /** Whether a proctitle is text the encoder splits into arguments (not hex left undecoded, not empty). */
    private static boolean isProctitleText(Value v) {
        return v instanceof Value.Text || v instanceof Value.Token t && (t.encoding() == Encoding.BARE
                || t.encoding() == Encoding.DOUBLE_QUOTED || t.encoding() == Encoding.SINGLE_QUOTED
                || t.encoding() == Encoding.BRACED);
    }

    /** A proctitle that {@link #isProctitleText} as the list of its arguments. */
    private void writeProctitleList(Value v) {
        if (v instanceof Value.Text t) {
            writeProctitleArgs(t.bytes(), 0, t.bytes().length);
        } else {
            Value.Token t = (Value.Token) v;
            writeProctitleArgs(t.bytes(), t.offset(), t.length());
        }
    }

    /**
     * The command line split at NUL bytes as LAUREL does it: each argument is at least one byte
     * long (a NUL right at an argument's start belongs to it), and a NUL at the very end ends the
     * last argument rather than starting an empty one.
     */
    private void writeProctitleArgs(byte[] b, int off, int len) {
        gen.startArray();
        int end = off + len;
        int pos = off;
        while (pos < end) {
            int j = pos + 1;
            while (j < end && b[j] != 0) {
                j++;
            }
            writeString(b, pos, j - pos);
            pos = j + 1;
        }
        gen.endArray();
    }

    private void writeToken(FieldKind kind, boolean emptyString, Value.Token t) {
        writeToken(kind, emptyString, t.bytes(), t.offset(), t.length(), t.encoding());
    }

    private void writeToken(FieldKind kind, boolean emptyString, byte[] b, int off, int len, Encoding encoding) {
        boolean numeric = kind == FieldKind.DEC || kind == FieldKind.HEX || kind == FieldKind.OCT;
        switch (encoding) {
            case NULL -> {
                if (numeric) {
                    writeString(NULL_LITERAL, 0, NULL_LITERAL.length);
                } else {
                    gen.nullValue();
                }
            }
            case UNSET -> {
                if (numeric) {
                    writeString(UNSET_LITERAL, 0, 1);
                } else {
                    gen.nullValue();
                }
            }
            case EMPTY -> {
                if (emptyString) {
                    gen.string("");
                } else {
                    gen.nullValue();
                }
            }
            case BRACED -> writeBraced(b, off, len);
            case BARE -> {
                if (kind == FieldKind.DEC) {
                    writeDecimal(b, off, len);
                } else if (kind == FieldKind.HEX) {
                    writeRadix(b, off, len, 4);
                } else if (kind == FieldKind.OCT) {
                    writeRadix(b, off, len, 3);
                } else {
                    writeString(b, off, len);
                }
            }
            default -> writeString(b, off, len);     // quoted, or hex digits left undecoded
        }
    }

    /**
     * A signed 64-bit decimal as a JSON number; anything else as the string it is. The digits are
     * copied rather than parsed and formatted again: only leading zeros are dropped (and the sign
     * of a zero), and the range is checked on the digits.
     */
    private void writeDecimal(byte[] b, int off, int len) {
        int end = off + len;
        boolean negative = len > 1 && b[off] == '-';
        int i = negative ? off + 1 : off;
        if (i == end) {
            writeString(b, off, len);
            return;
        }
        for (int j = i; j < end; j++) {
            if (b[j] < '0' || b[j] > '9') {
                writeString(b, off, len);
                return;
            }
        }
        while (i < end - 1 && b[i] == '0') {
            i++;
        }
        int digits = end - i;
        if (digits > MAX_LONG_DIGITS.length
                || digits == MAX_LONG_DIGITS.length && Arrays.compare(b, i, end, MAX_LONG_DIGITS, 0, digits) > 0) {
            writeString(b, off, len);   // beyond Long.MAX_VALUE (and so is MIN_VALUE, as LAUREL has it)
            return;
        }
        gen.decimal(negative && b[i] != '0', b, i, digits);
    }

    /**
     * Digits of base 16 ({@code bits} 4) or 8 ({@code bits} 3) fitting in an unsigned 64-bit
     * number, as {@code "0x.."} or {@code "0o.."} without leading zeros; anything else as the
     * string it is.
     */
    private void writeRadix(byte[] b, int off, int len, int bits) {
        int end = off + len;
        int radix = 1 << bits;
        boolean ok = len > 0;
        for (int i = off; ok && i < end; i++) {
            ok = DIGIT_VALUES[b[i] & 0xff] < radix;
        }
        int first = off;
        while (first < end - 1 && b[first] == '0') {
            first++;
        }
        int digits = end - first;
        if (ok) {
            // The value's bit length must not exceed 64.
            int top = DIGIT_VALUES[b[first] & 0xff];
            int topBits = top >= 8 ? 4 : top >= 4 ? 3 : top >= 2 ? 2 : top;
            ok = (digits - 1) * bits + topBits <= 64;
        }
        if (!ok) {
            writeString(b, off, len);
            return;
        }
        gen.radixString((byte) (bits == 4 ? 'x' : 'o'), b, first, digits, DIGIT_VALUES);
    }

    /** Each byte's value as a hex digit (either case), or 16 for a byte that is none. */
    private static final byte[] DIGIT_VALUES = new byte[256];

    static {
        Arrays.fill(DIGIT_VALUES, (byte) 16);
        for (int c = 0; c < 256; c++) {
            if (c >= '0' && c <= '9') {
                DIGIT_VALUES[c] = (byte) (c - '0');
            } else if (c >= 'a' && c <= 'f') {
                DIGIT_VALUES[c] = (byte) (c - 'a' + 10);
            } else if (c >= 'A' && c <= 'F') {
                DIGIT_VALUES[c] = (byte) (c - 'A' + 10);
            }
        }
    }

    private static final byte[] MAX_LONG_DIGITS = Long.toString(Long.MAX_VALUE).getBytes(StandardCharsets.US_ASCII);

    /**
     * An ENRICHED braced value: LAUREL writes {@code { k=v k=v }} as {@code {k=v k=v}} when the
     * inside is a list of {@code key=value} pairs separated by single spaces, and the value as
     * written otherwise.
     */
    private void writeBraced(byte[] b, int off, int len) {
        int end = off + len;
        if (len >= 4 && b[off] == '{' && b[off + 1] == ' ' && b[end - 2] == ' ' && b[end - 1] == '}'
                && isPairList(b, off + 2, end - 2)) {
            int innerLen = len - 4;
            int n = codec.encodeJson(b, off + 2, innerLen);
            byte[] enc = codec.buffer();
            byte[] out = n + 2 <= scratch.length ? scratch : new byte[n + 2];
            out[0] = '{';
            System.arraycopy(enc, 0, out, 1, n);
            out[n + 1] = '}';
            gen.string(out, 0, n + 2);
        } else {
            writeString(b, off, len);
        }
    }

    /** {@code key=value( key=value)*} or nothing, with LAUREL's key and value syntax. */
    static boolean isPairList(byte[] b, int from, int to) {
        int i = from;
        if (i == to) {
            return true;
        }
        while (true) {
            // key: a letter, then letters, digits, '_' or '-'
            if (i >= to || !isLetter(b[i])) {
                return false;
            }
            i++;
            while (i < to && (isLetter(b[i]) || (b[i] >= '0' && b[i] <= '9') || b[i] == '_' || b[i] == '-')) {
                i++;
            }
            if (i >= to || b[i] != '=') {
                return false;
            }
            i++;
            int close = -1;
            if (i < to && (b[i] == '"' || b[i] == '\'')) {
                for (int j = i + 1; j < to; j++) {
                    if (b[j] == b[i]) {
                        close = j;
                        break;
                    }
                }
                if (close < 0 && b[i] == '"') {
                    return false;
                }
            }
            if (close >= 0) {
                i = close + 1;
            } else {
                while (i < to && b[i] > 0x20 && b[i] < 0x7f && b[i] != '"') {
                    i++;
                }
            }
            if (i == to) {
                return true;
            }
            if (b[i] != ' ') {
                return false;
            }
            i++;
        }
    }

    private static boolean isLetter(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** A value set by an enricher (or inside a list), written by its own type. */
    private void writeValue(FieldKind kind, Value v) {
        if (v instanceof Value.Token t) {
            writeToken(kind, false, t);
        } else if (v instanceof Value.Text t) {
            writeString(t.bytes(), 0, t.bytes().length);
        } else if (v instanceof Value.Number num) {
            switch (num.radix()) {
                case DEC -> gen.number(num.value());
                case HEX -> gen.string("0x" + Long.toHexString(num.value()));
                case OCT -> gen.string("0o" + Long.toOctalString(num.value()));
            }
        } else if (v instanceof Value.ListValue l) {
            gen.startArray();
            List<Value> items = l.items();
            for (int i = 0, n = items.size(); i < n; i++) {
                writeValue(FieldKind.TEXT, items.get(i));
            }
            gen.endArray();
        } else if (v instanceof Value.ObjectValue o) {
            gen.startObject();
            o.fields().forEach(writeMember);
            gen.endObject();
        } else {
            gen.nullValue();     // Value.Null, or a null where an enricher put one
        }
    }

    /** A key, percent-encoded where it needs to be ({@link FieldNames#isPlainName}). */
    private void writeName(String name) {
        gen.name(names.name(name).key);
    }

    private void writeString(byte[] b) {
        writeString(b, 0, b.length);
    }

    private void writeString(byte[] b, int off, int len) {
        // Percent- and JSON-escaped in one pass, straight into the event's buffer.
        gen.percentString(b, off, len);
    }

    /** {@code "SECONDS.MILLIS:SERIAL"}, formatted without a String. */
    private void writeId(EventId id) {
        int p = putLong(scratch, 0, id.seconds());
        scratch[p++] = '.';
        int ms = Math.floorMod(id.millis(), 1000);
        scratch[p++] = (byte) ('0' + ms / 100);
        scratch[p++] = (byte) ('0' + ms / 10 % 10);
        scratch[p++] = (byte) ('0' + ms % 10);
        scratch[p++] = ':';
        p = putLong(scratch, p, id.serial());
        gen.string(scratch, 0, p);
    }

    private static int putLong(byte[] out, int p, long v) {
        if (v < 0) {
            // Not produced by the parser; kept valid anyway.
            byte[] s = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(s, 0, out, p, s.length);
            return p + s.length;
        }
        return EventIds.digits(out, p, v);
    }
}
