package dev.laurel.api;

import java.util.List;

/**
 * Creates a configured plugin for each chain entry of its {@link #type()}. Factories are found
 * with {@link java.util.ServiceLoader} (a file
 * {@code META-INF/services/dev.laurel.api.EnricherFactory}, {@code ...SinkFactory} or (since 1.1)
 * {@code ...FormatFactory} naming the
 * class), need a public no-argument constructor, and must be stateless.
 *
 * @param <P> what it creates
 */
public interface PluginFactory<P extends AutoCloseable> {

    /** The name users write as {@code type:} in the config, kebab-case, unique among plugins. */
    String type();

    /** One line for {@code laurel plugins}. */
    String description();

    /** Every option this plugin accepts; the config may set no others. */
    List<Setting<?>> settings();

    /**
     * Types that must come earlier in the chain when this one is used (for example a labeler that
     * needs decoded text after {@code hex-decoder}). The engine reports a missing or misplaced one.
     */
    default List<String> requires() {
        return List.of();
    }

    /**
     * Creates the plugin. The config has been validated against {@link #settings()}; throw
     * {@link ConfigException} for problems only the plugin can see (a bad regex, a file that
     * cannot be opened).
     */
    P create(PluginConfig config, PluginContext context) throws ConfigException;
}
