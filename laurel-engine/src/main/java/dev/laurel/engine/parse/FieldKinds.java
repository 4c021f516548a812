package dev.laurel.engine.parse;

import dev.laurel.api.RecordType;

/**
 * The {@link FieldKind} of each field name, by LAUREL 0.5.1's rules. Shared by the parser
 * (to recognise hex-encoded strings) and the JSON encoder (to write numbers).
 */
public final class FieldKinds {
    private FieldKinds() {
    }

    /** The kind of field {@code name} in a record of {@code type}. */
    public static FieldKind of(RecordType type, String name) {
        // Placeholder until the table derived from LAUREL 0.5.1's behaviour lands.
        switch (name) {
            case "comm", "exe", "cwd", "name", "proctitle", "key", "saddr", "path", "ocomm", "cmd":
                return FieldKind.ENCODED;
            default:
                return FieldKind.DEC;
        }
    }
}
