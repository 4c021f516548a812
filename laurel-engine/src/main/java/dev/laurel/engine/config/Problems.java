package dev.laurel.engine.config;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The problems found in one config file so far, each at its place in the file. */
final class Problems {
    private final String file;
    private final List<ConfigError> errors = new ArrayList<>();
    private final List<Throwable> causes = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    /** A problem at {@code node}'s start, or at 0:0 if there is no node. */
    void at(Node node, String message) {
        at(node == null ? null : node.getStartMark(), message);
    }

    /** A problem at {@code mark} (0-based, as SnakeYAML counts), or at 0:0. */
    void at(Mark mark, String message) {
        if (mark == null) {
            at(0, 0, message);
        } else {
            at(mark.getLine() + 1, mark.getColumn() + 1, message);
        }
    }

    /** A problem at 1-based {@code line} and {@code column} (0, 0: the file as a whole). */
    void at(int line, int column, String message) {
        errors.add(new ConfigError(file, line, column, message));
    }

    /** Keeps an unexpected exception, so its stack trace can be shown with the errors. */
    void cause(Throwable t) {
        causes.add(t);
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    /** How many problems were found so far. */
    int count() {
        return errors.size();
    }

    /** Every problem, by line and column (in the order found when equal). */
    ConfigErrors toException() {
        List<ConfigError> sorted = new ArrayList<>(errors);
        sorted.sort(Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column));
        ConfigErrors e = new ConfigErrors(sorted);
        causes.forEach(e::addSuppressed);
        return e;
    }
}
