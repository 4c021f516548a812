package dev.laurel.engine.json;

import dev.laurel.api.RecordType;
import dev.laurel.engine.parse.FieldKind;
import dev.laurel.engine.parse.FieldKinds;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * The encoder's field names: per name, its JSON key, escaped and UTF-8 encoded once, and (with
 * LAUREL's field kinds) its kinds, together with the marks {@link EventEncoder} uses to notice
 * a key written twice in one object. Bounded, since hostile input may bring any number of
 * names: past {@value #MAX_NAMES} the names start afresh and the encoder is told, as its marks
 * are then gone.
 *
 * <p>A look-up is usually a reference compare: records of a type have their fields in the same
 * order event after event, so each name remembers the one written after it, and
 * {@link #name(String)} tries that guess first. Behind the guess is a table by identity with
 * linear probing, as the parser's names are interned and enrichers use constants (a
 * direct-mapped table missed for pairs such as auid/AUID, whose hashes share their low bits,
 * on every event); behind that, a map by value.
 *
 * <pre>{@code
 * FieldNames names = new FieldNames(true, () -> objectsMayRepeatKeys = true);
 * Name pid = names.name("pid");   // pid.key is the JSON key, pid.kindIn(type) its kind
 * }</pre>
 *
 * <p>Not thread-safe: one per encoder.
 */
final class FieldNames {
    private static final int MAX_NAMES = 4096;
    private static final int SEEN_SLOTS = 2048;

    /** A field name's key and, with the default kinds, its kinds (by name; in SYSCALL; in EXECVE). */
    static final class Name {
        final byte[] key;
        final FieldKind kind;
        final FieldKind syscallKind;
        final FieldKind execveKind;
        final String name;
        /** The number of the record object (see the encoder's objectCount) this name was last a key in. */
        int object;
        /** The number of the event (see the encoder's eventCount) this name was last a top-level key in. */
        int event;
        /**
         * The name written after this one last time: records of a type have their fields in
         * the same order event after event, so {@link #name(String)} tries it first, with one
         * reference compare instead of a hash probe.
         */
        Name next;
        /**
         * The two names written after this one before {@link #next}, most recent first: a name
         * that several objects have (a format's {@code "name"} in {@code host}, {@code process},
         * {@code user}, ...) is followed by another in each, and a hash probe per miss cost the
         * formats more than these compares.
         */
        Name next2;
        Name next3;
        /** For {@link FormatJson}: the short string last written as this key's value, and its bytes inside the quotes. */
        String value;
        byte[] valueBytes;

        /** Its kind in a record of {@code type}, with the default kinds; small enough for C1 to inline. */
        FieldKind kindIn(RecordType type) {
            return type == RecordType.SYSCALL ? syscallKind : type == RecordType.EXECVE ? execveKind : kind;
        }

        Name(byte[] key, String name, boolean defaultKinds) {
            this.key = key;
            this.name = name;
            this.kind = defaultKinds ? FieldKinds.byName(name) : null;
            FieldKind sc = defaultKinds ? FieldKinds.special(RecordType.SYSCALL, name) : null;
            FieldKind ex = defaultKinds ? FieldKinds.special(RecordType.EXECVE, name) : null;
            this.syscallKind = sc != null ? sc : kind;
            this.execveKind = ex != null ? ex : kind;
        }
    }

    private final boolean defaultKinds;
    /** Told when the names start afresh (see {@link #forget}). */
    private final Runnable forgotten;
    private final HashMap<String, Name> names = new HashMap<>(1024);
    /** The names kept when the others are forgotten ({@link #pinned}). */
    private final List<Name> pinned = new ArrayList<>();
    // the table by identity; emptied when 3/4 full, so bounded too
    private final String[] seenNames = new String[SEEN_SLOTS];
    private final Name[] seenEntries = new Name[SEEN_SLOTS];
    private int seenCount;
    /**
     * The name {@link #name(String)} gave last, whose {@link Name#next} predicts the coming one;
     * at first a name no field has. {@link FormatJson#key} reads and sets it too, to make the
     * guess without a call.
     */
    Name lastName = new Name(new byte[0], "", false);

    /**
     * Names with LAUREL's field kinds ({@code defaultKinds}) or without kinds; {@code forgotten}
     * is told when the names start afresh, so that the encoder checks the objects being written
     * for repeated keys the slow way.
     */
    FieldNames(boolean defaultKinds, Runnable forgotten) {
        this.defaultKinds = defaultKinds;
        this.forgotten = forgotten;
    }

    /** The Name of {@code name}, kept (with its marks) when the names start afresh. */
    Name pinned(String name) {
        Name n = lookUp(name);
        pinned.add(n);
        return n;
    }

    /** The Name of {@code name}. */
    Name name(String name) {
        // The guess alone, in few enough bytecodes for C1 to inline it into every caller.
        Name guess = lastName.next;
        if (guess != null && guess.name == name) {
            lastName = guess;
            return guess;
        }
        return nameAfter(name);
    }

    /** {@link #name} when it was not the guess: one of the two before it, or found by hash; the guess after the last one. */
    private Name nameAfter(String name) {
        Name last = lastName;
        Name n = last.next2;
        if (n != null && n.name == name) {
            last.next2 = last.next;
        } else {
            n = last.next3;
            if (n == null || n.name != name) {
                n = lookUp(name);
            }
            last.next3 = last.next2;
            last.next2 = last.next;
        }
        last.next = n;
        lastName = n;
        return n;
    }

    private Name lookUp(String name) {
        int slot = slot(name);
        String seen;
        while ((seen = seenNames[slot]) != null) {
            if (seen == name) {
                return seenEntries[slot];
            }
            slot = (slot + 1) & (SEEN_SLOTS - 1);
        }
        return newName(name, slot);
    }

    /** {@code name}, not seen as this String instance yet, whose free slot is {@code slot}. */
    private Name newName(String name, int slot) {
        Name n = names.get(name);
        if (n == null) {
            if (names.size() == MAX_NAMES) {
                forget();
                slot = slot(name);
            }
            n = new Name(JsonBuffer.key(isPlainName(name) ? name : escapedName(name)),
                    name, defaultKinds);
            names.put(name, n);
        }
        if (seenCount == SEEN_SLOTS * 3 / 4) {
            Arrays.fill(seenNames, null);
            Arrays.fill(seenEntries, null);
            seenCount = 0;
            slot = slot(name);
        }
        seenNames[slot] = name;
        seenEntries[slot] = n;
        seenCount++;
        return n;
    }

    private static int slot(String name) {
        int h = name.hashCode();
        return (h ^ (h >>> 11)) & (SEEN_SLOTS - 1);
    }

    /**
     * Starts the names afresh. Every name must have one Name, or a key written twice could go
     * unnoticed: so no Name is kept out of the map, the guesses start over, and the encoder is
     * told to check the objects being written for repeated keys the slow way (the pinned names
     * keep theirs).
     */
    private void forget() {
        names.clear();
        for (Name n : pinned) {
            names.put(n.name, n);
            n.next = null;         // no guess may lead back to a forgotten Name
            n.next2 = null;
            n.next3 = null;
        }
        Arrays.fill(seenNames, null);
        Arrays.fill(seenEntries, null);
        seenCount = 0;
        lastName = new Name(new byte[0], "", false);
        forgotten.run();
    }

    /**
     * Whether {@code name} is its own key. auditd's keys are plain ASCII (LAUREL rejects a line
     * with any other); for whatever else a lenient parser or an enricher hands over, {@code %},
     * {@code +} and control characters are percent-encoded as in values, so keys too stay
     * unambiguous and clean.
     */
    static boolean isPlainName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '%' || c == '+' || Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static String escapedName(String name) {
        // getBytes replaces a lone surrogate, which JSON cannot carry, with '?'
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        return new String(PercentCodec.encode(utf8), StandardCharsets.UTF_8);
    }
}
