package dev.laurel.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One option a plugin accepts: its kebab-case name as users write it in YAML, its type, its
 * default, whether it is required, a description, and checks on its value. Declare them as
 * constants next to the code that reads them and list them in
 * {@link PluginFactory#settings()}; the engine validates every entry of the config against them
 * and reports all problems at once, with file, line and column.
 *
 * <pre>{@code
 * static final Setting<String> FILE = Setting.string("file", "Where to write; - for stdout")
 *         .required();
 * static final Setting<Long> SIZE = Setting.integer("size", "Rotate after this many bytes")
 *         .withDefault(5_000_000L)
 *         .check(n -> n > 0, "must be positive");
 * }</pre>
 *
 * @param <T> the Java type of the value: String, Long, Boolean, List&lt;String&gt; or
 *            Map&lt;String, String&gt;
 */
public final class Setting<T> {

    /** The value types the config loader converts YAML to. */
    public enum Type {
        /** A scalar, kept as text. */
        STRING,
        /** A whole number ({@link Long}). */
        INTEGER,
        /** {@code true} or {@code false}. */
        BOOLEAN,
        /** A list of scalars ({@code List<String>}); a single scalar is a list of one. */
        STRING_LIST,
        /** A mapping of scalars to scalars ({@code Map<String, String>}, insertion order). */
        STRING_MAP,
        /** One of a fixed set of words ({@link String}). */
        CHOICE
    }

    /** A condition on a value and what to say when it fails. */
    public record Check<T>(Predicate<? super T> test, String problem) {
    }

    private final String name;
    private final Type type;
    private final String description;
    private final T defaultValue;
    private final boolean required;
    private final List<String> choices;
    private final List<Check<T>> checks;

    private Setting(String name, Type type, String description, T defaultValue, boolean required,
                    List<String> choices, List<Check<T>> checks) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = type;
        this.description = Objects.requireNonNull(description, "description");
        this.defaultValue = defaultValue;
        this.required = required;
        this.choices = List.copyOf(choices);
        this.checks = List.copyOf(checks);
    }

    /** A text option. */
    public static Setting<String> string(String name, String description) {
        return new Setting<>(name, Type.STRING, description, null, false, List.of(), List.of());
    }

    /** A whole-number option. */
    public static Setting<Long> integer(String name, String description) {
        return new Setting<>(name, Type.INTEGER, description, null, false, List.of(), List.of());
    }

    /** A boolean option. */
    public static Setting<Boolean> bool(String name, String description) {
        return new Setting<>(name, Type.BOOLEAN, description, null, false, List.of(), List.of());
    }

    /** A list-of-text option. */
    public static Setting<List<String>> stringList(String name, String description) {
        return new Setting<>(name, Type.STRING_LIST, description, null, false, List.of(), List.of());
    }

    /** A text-to-text mapping option. */
    public static Setting<Map<String, String>> stringMap(String name, String description) {
        return new Setting<>(name, Type.STRING_MAP, description, null, false, List.of(), List.of());
    }

    /** An option whose value is one of {@code choices}. */
    public static Setting<String> choice(String name, String description, String... choices) {
        if (choices.length == 0) {
            throw new IllegalArgumentException("a choice needs at least one word");
        }
        return new Setting<>(name, Type.CHOICE, description, null, false, List.of(choices), List.of());
    }

    /** This setting with a default, used when the config does not set it. */
    public Setting<T> withDefault(T value) {
        return new Setting<>(name, type, description, Objects.requireNonNull(value), required,
                choices, checks);
    }

    /** This setting, required: a config entry without it is an error. */
    public Setting<T> required() {
        return new Setting<>(name, type, description, defaultValue, true, choices, checks);
    }

    /** This setting with one more check; {@code problem} completes "NAME ...", e.g. "must be positive". */
    public Setting<T> check(Predicate<? super T> test, String problem) {
        List<Check<T>> all = new ArrayList<>(checks);
        all.add(new Check<>(test, problem));
        return new Setting<>(name, type, description, defaultValue, required, choices, all);
    }

    /** The kebab-case name users write. */
    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    public String description() {
        return description;
    }

    /** The default, or {@code null} if there is none. */
    public T defaultValue() {
        return defaultValue;
    }

    public boolean isRequired() {
        return required;
    }

    /** The allowed words of a {@link Type#CHOICE}; empty for other types. */
    public List<String> choices() {
        return choices;
    }

    public List<Check<T>> checks() {
        return checks;
    }

    /** The first failed check's problem for {@code value}, or {@code null} if all pass. */
    public String firstProblem(T value) {
        for (Check<T> c : checks) {
            if (!c.test().test(value)) {
                return c.problem();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return name + " (" + type.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
