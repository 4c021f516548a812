package dev.laurel.api;

import java.time.Duration;
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
 * static final Setting<Long> SIZE = Setting.byteSize("size", "Rotate after this many bytes")
 *         .withDefault(16L << 20)
 *         .check(n -> n > 0, "must be positive");
 * static final Setting<Duration> CACHE = Setting.duration("cache", "How long a name is remembered")
 *         .withDefault(Duration.ofSeconds(60));
 * }</pre>
 * Users write {@code size: 16MiB} (or {@code 16777216}) and {@code cache: 5m}.
 *
 * @param <T> the Java type of the value: String, Long, Boolean, Duration, List&lt;String&gt; or
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
        CHOICE,
        /**
         * A span of time ({@link Duration}), written {@code 250ms}, {@code 3s}, {@code 5m},
         * {@code 1h} or {@code 0}.
         *
         * @since 1.0
         */
        DURATION,
        /**
         * A number of bytes ({@link Long}, never negative), written as a whole number
         * ({@code 16777216}) or with a binary unit: {@code 64KiB}, {@code 16MiB}, {@code 1GiB},
         * {@code 1TiB}.
         *
         * @since 1.0
         */
        BYTE_SIZE
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

    /**
     * A span-of-time option: users write {@code 250ms}, {@code 3s}, {@code 5m}, {@code 1h} or
     * {@code 0}; the plugin gets a {@link Duration}.
     *
     * <pre>{@code
     * static final Setting<Duration> INTERVAL = Setting.duration("interval", "How often to flush")
     *         .withDefault(Duration.ofSeconds(1))
     *         .check(d -> !d.isZero(), "must be longer than 0");
     * }</pre>
     *
     * @since 1.0
     */
    public static Setting<Duration> duration(String name, String description) {
        return new Setting<>(name, Type.DURATION, description, null, false, List.of(), List.of());
    }

    /**
     * A number-of-bytes option: users write a whole number ({@code 16777216}) or one with a binary
     * unit ({@code 64KiB}, {@code 16MiB}, {@code 1GiB}); the plugin gets a {@link Long}, never negative.
     *
     * <pre>{@code
     * static final Setting<Long> BUFFER = Setting.byteSize("buffer-size", "Bytes held while blocked")
     *         .withDefault(16L << 20);   // listed as 16MiB
     * }</pre>
     *
     * @since 1.0
     */
    public static Setting<Long> byteSize(String name, String description) {
        return new Setting<>(name, Type.BYTE_SIZE, description, null, false, List.of(), List.of());
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
