package dev.laurel.engine.migrate;

import java.util.List;

/**
 * The result of migrating a LAUREL config: laurel's YAML, and what it could not carry over
 * as it was (each also a comment in the YAML).
 */
public record Migration(String yaml, List<MigrationNotice> notices) {
    public Migration {
        notices = List.copyOf(notices);
    }

    /** The notices that mean an option was left out. */
    public List<MigrationNotice> warnings() {
        return notices.stream().filter(n -> n.kind() == MigrationNotice.Kind.NO_EQUIVALENT).toList();
    }
}
