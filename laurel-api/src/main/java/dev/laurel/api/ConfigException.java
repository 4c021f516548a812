package dev.laurel.api;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A plugin's options cannot work together, found in
 * {@link PluginFactory#create(PluginConfig, PluginContext)}. The engine adds the file, line and
 * column of each named setting and reports every problem of every entry together.
 *
 * <pre>{@code
 * if (config.get(MIN) > config.get(MAX)) {
 *     throw new ConfigException("min", "must not be greater than max (" + config.get(MAX) + ")");
 * }
 * }</pre>
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * One problem.
     *
     * @param setting the option it is about, or {@code null} for the entry as a whole
     * @param message what is wrong and how to fix it
     */
    public record Problem(String setting, String message) {
    }

    private final transient List<Problem> problems;

    /** One problem with option {@code setting} (or the whole entry if {@code null}). */
    public ConfigException(String setting, String message) {
        this(List.of(new Problem(setting, message)));
    }

    /** Several problems at once. */
    public ConfigException(List<Problem> problems) {
        super(problems.stream()
                .map(p -> (p.setting() == null ? "" : p.setting() + ": ") + p.message())
                .collect(Collectors.joining("; ")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("no problems");
        }
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
