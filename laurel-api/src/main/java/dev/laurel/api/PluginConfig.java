package dev.laurel.api;

/**
 * The validated options of one chain entry. Every value has been converted to its
 * {@link Setting}'s type and checked before the factory sees it.
 *
 * <pre>{@code
 * String file = config.get(FILE);          // required, so never null
 * long size = config.get(SIZE);             // the default when not set
 * }</pre>
 */
public interface PluginConfig {

    /** The entry's {@code type}. */
    String type();

    /** The entry's {@code id}, or its type when the config gave none. Unique in a chain. */
    String id();

    /** The value, the setting's default when unset, or {@code null} when neither exists. */
    <T> T get(Setting<T> setting);

    /** Whether the config sets this option explicitly. */
    boolean isSet(Setting<?> setting);
}
