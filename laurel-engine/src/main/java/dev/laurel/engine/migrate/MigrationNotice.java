package dev.laurel.engine.migrate;

/**
 * Something of a LAUREL config that laurel's YAML does not carry over as it was.
 *
 * @param kind    whether the option was left out or carried over with a difference
 * @param line    the option's line in the TOML file (1-based); 0 for the file as a whole
 * @param option  the option as LAUREL names it, dotted: {@code auditlog.read-users}
 * @param message what happened and what to do instead
 */
public record MigrationNotice(Kind kind, int line, String option, String message) {

    /** How much of an option made it into the YAML. */
    public enum Kind {
        /** laurel has no equivalent: the option is left out (said in a YAML comment too). */
        NO_EQUIVALENT("warning"),
        /** Carried over, but laurel's behaviour or form differs in a way worth knowing. */
        DIFFERS("note");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        /** {@code warning} or {@code note}, as printed. */
        public String word() {
            return word;
        }
    }

    /** {@code FILE:LINE: warning: OPTION: MESSAGE}, the form printed on stderr. */
    public String describe(String source) {
        return source + ":" + line + ": " + kind.word() + ": " + option + ": " + message;
    }

    /** The text of the YAML comment: {@code OPTION (line N): MESSAGE}. */
    String comment() {
        return (kind == Kind.NO_EQUIVALENT ? "NOT MIGRATED: " : "") + option + " (line " + line + "): " + message;
    }
}
