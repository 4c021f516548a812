package dev.laurel.engine.parse;

/**
 * What kind of value a field holds, by LAUREL's rules (derived from the audit project's field
 * dictionary and LAUREL 0.5.1's behaviour). The parser uses it to tell hex-encoded strings from
 * bare tokens; the JSON encoder uses it to write numbers.
 */
public enum FieldKind {
    /** A string auditd may hex-encode: double-quoted, hex, {@code (null)} or {@code ?}. */
    ENCODED,
    /** A signed decimal number, written as a JSON number. */
    DEC,
    /** A hexadecimal number, written as {@code "0x..."}. */
    HEX,
    /** An octal number, written as {@code "0o..."}. */
    OCT,
    /** Plain text, never hex-encoded, written as a string. */
    TEXT
}
