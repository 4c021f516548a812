package dev.laurel.plugins.ecs;

import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.internal.Records;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How an audit field's name is spelled under {@code auditd.}: lower case, so that no two keys of
 * an object differ only in case ({@code auid} and auditd's ENRICHED {@code AUID} break OpenSearch
 * and Wazuh mappings). An upper-case name whose lower-case twin the record also has gets a suffix:
 * {@code _info} for parent-info's objects ({@code PPID}, {@code OPID}), {@code _text} for
 * {@code SADDR}, {@code _name} otherwise (the names auditd gives ids and numbers: {@code AUID},
 * {@code UID}, {@code SYSCALL}, {@code ARCH}). A name a record has twice gets {@code _2}, {@code _3}
 * from its second occurrence on. The keys depend on the names alone, so a record laid out as the
 * last one of its type (as auditd writes them, event after event) reuses its keys ({@link #of}).
 *
 * <pre>{@code
 * keys.clear();
 * for (int i = 0; i < r.size(); i++) keys.add(r.name(i));   // the record's names first
 * keys.spelled("AUID");              // "auid_name" when the record has auid too, else "auid"
 * String[] k = keys.of(record);      // the same for every field of a record, cached by layout
 * }</pre>
 *
 * <p>Not thread-safe: one per format instance, used on the chain's thread.
 */
final class AuditdKeys {
    private static final int MAX_CACHED = 4096;

    private static final int FIELD = 1;
    private static final int WRITTEN = 2;

    /** Per name: lower case, and with each suffix. */
    private final Map<String, String[]> spellings = new HashMap<>();
    // the record's names and the keys written for it: an open-addressing table cleared per object
    private String[] table = new String[64];
    private int[] flags = new int[64];
    private int[] used = new int[64];
    private int usedCount;

    /** Forgets the last object's names and keys. */
    void clear() {
        for (int k = 0; k < usedCount; k++) {
            int slot = used[k];
            table[slot] = null;
            flags[slot] = 0;
        }
        usedCount = 0;
    }

    /** Notes a field name of the record about to be written (all of them before the first {@link #spelled}). */
    void add(String name) {
        int slot = insert(name);    // first: insert may grow the arrays
        flags[slot] |= FIELD;
    }

    private int insert(String name) {
        if (usedCount * 2 >= table.length) {
            grow();
        }
        int slot = slot(name);
        if (table[slot] == null) {
            table[slot] = name;
            used[usedCount++] = slot;
        }
        return slot;
    }

    private int slot(String name) {
        int mask = table.length - 1;
        int slot = (name.hashCode() * 0x9E3779B9 >>> 16) & mask;
        String s;
        while ((s = table[slot]) != null && !s.equals(name)) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        String[] oldTable = table;
        int[] oldFlags = flags;
        int[] oldUsed = Arrays.copyOf(used, usedCount);
        table = new String[oldTable.length * 2];
        flags = new int[table.length];
        used = new int[table.length];
        usedCount = 0;
        for (int old : oldUsed) {
            int slot = slot(oldTable[old]);
            table[slot] = oldTable[old];
            flags[slot] = oldFlags[old];
            used[usedCount++] = slot;
        }
    }

    /**
     * The key for a field {@code name} (noted with {@link #add}) whose value is {@code v}: its
     * lower-case spelling, with a suffix where the record has the lower-case name too, and
     * {@code _2}, {@code _3} where that key was written already in this object.
     */
    String spelled(String name) {
        String[] s = spellings(name);
        String base = s[0];
        if (!base.equals(name) && (flags[slot(base)] & FIELD) != 0) {
            base = name.equals("PPID") || name.equals("OPID") ? s[1] : name.equals("SADDR") ? s[2] : s[3];
        }
        String key = base;
        int slot = insert(key);
        for (int n = 2; (flags[slot] & WRITTEN) != 0; n++) {
            key = base + "_" + n;    // a name twice in one record: rare, so made here
            slot = insert(key);
        }
        flags[slot] |= WRITTEN;
        return key;
    }

    /*
     * The last two layouts seen per record type (a type's records may come in two layouts by
     * turns), two-way set-associative by type number (a map look-up per record cost more than the
     * rest of this): their type, names (compared by identity) and keys.
     */
    private static final int LAYOUT_SETS = 64;
    private final RecordType[] layoutTypes = new RecordType[2 * LAYOUT_SETS];
    private final String[][] layoutNames = new String[2 * LAYOUT_SETS][];
    private final String[][] layoutKeys = new String[2 * LAYOUT_SETS][];

    /**
     * The key of each of {@code r}'s fields, as {@link #spelled} gives them: from the cache when
     * {@code r} has the very names (the parser's shared strings) of the last record of its type.
     */
    String[] of(Record r) {
        int n = r.size();
        RecordType type = r.type();
        int set = 2 * (type.code() & (LAYOUT_SETS - 1));
        for (int slot = set; slot < set + 2; slot++) {
            if (layoutTypes[slot] == type && Records.sameNames(layoutNames[slot], r)) {
                return layoutKeys[slot];
            }
        }
        clear();
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = r.name(i);
            add(names[i]);
        }
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = spelled(names[i]);
        }
        // the newer layout of the set moves to the second way, this one takes the first
        layoutTypes[set + 1] = layoutTypes[set];
        layoutNames[set + 1] = layoutNames[set];
        layoutKeys[set + 1] = layoutKeys[set];
        layoutTypes[set] = type;
        layoutNames[set] = names;
        layoutKeys[set] = keys;
        return keys;
    }

    /** A name in lower case, for record types and enrichers' top-level fields. */
    String lower(String name) {
        return spellings(name)[0];
    }

    private String[] spellings(String name) {
        String[] s = spellings.get(name);
        if (s == null) {
            if (spellings.size() >= MAX_CACHED) {
                spellings.clear();    // hostile input may bring any number of names
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals(name)) {
                lower = name;
            }
            s = new String[] {lower, lower + "_info", lower + "_text", lower + "_name"};
            spellings.put(name, s);
        }
        return s;
    }
}
