package dev.laurel.engine.migrate;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A LAUREL config that cannot be migrated: not TOML, or values LAUREL itself would refuse
 * (a string where it wants a number, an unknown {@code input}); every problem found, with its place.
 */
public final class LaurelConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    /** One problem: 1-based line and column (0 when unknown) and what is wrong. */
    public record Problem(int line, int column, String message) {
        /** {@code FILE:LINE:COLUMN: MESSAGE} */
        public String describe(String source) {
            return source + ":" + line + ":" + column + ": " + message;
        }
    }

    private final transient List<Problem> problems;

    LaurelConfigException(String source, List<Problem> problems) {
        super(problems.stream().map(p -> p.describe(source)).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, in file order. */
    public List<Problem> problems() {
        return problems;
    }
}
