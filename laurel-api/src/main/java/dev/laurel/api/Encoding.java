package dev.laurel.api;

/**
 * How auditd wrote a field's value on the line. Kept so that nothing about the input is lost
 * and so that the JSON encoder can follow LAUREL's rules, which depend on it.
 */
public enum Encoding {
    /** An unquoted token such as {@code pid=42}, {@code dev=fd:01} or {@code res=success}. */
    BARE,
    /** A double-quoted string, {@code comm="perl"}; the value excludes the quotes. */
    DOUBLE_QUOTED,
    /** A single-quoted string such as a user-space {@code msg='op=PAM:...'}; quotes excluded. */
    SINGLE_QUOTED,
    /** A braced value such as ENRICHED {@code SADDR={ saddr_fam=inet ... }}; braces included. */
    BRACED,
    /** Hex-encoded bytes, as auditd writes any string with a space, quote or control byte. */
    HEX,
    /** The literal {@code (null)}. */
    NULL,
    /** The literal {@code ?}: the kernel had no value. */
    UNSET,
    /** Nothing after the {@code =}. */
    EMPTY
}
