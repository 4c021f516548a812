package dev.laurel.plugins.sigma;

import java.util.List;

/**
 * One loaded rule: where it came from, what it is written against and its compiled condition.
 *
 * @param order    its position among all loaded rules (files in the order configured, a
 *                 directory's files by name, documents in file order): the order of {@code SIGMA}
 * @param logSource {@code auditd}, {@code process_creation}, {@code file_event} or {@code network_connection}
 */
record SigmaRule(int order, String file, int line, String id, String title, String status, Level level,
                 List<String> tags, String logSource, Detection detection) {

    /** Sigma's levels, least to most severe. */
    enum Level {
        INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL;

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Level of(String word) {
            for (Level l : values()) {
                if (l.word().equals(word)) {
                    return l;
                }
            }
            return null;
        }
    }
}
