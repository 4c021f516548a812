package dev.laurel.engine.plugin;

import dev.laurel.api.PluginContext;

import java.time.InstantSource;
import java.util.Objects;

/**
 * What laurel gives one chain entry: a logger named {@code laurel.plugin.ID} that writes to
 * laurel's own log through SLF4J, and the system clock.
 *
 * <pre>{@code
 * Enricher e = factory.create(config, new EnginePluginContext(config.id()));
 * }</pre>
 */
public final class EnginePluginContext implements PluginContext {
    /** The prefix of every plugin logger's name, so log configs can address all plugins. */
    public static final String LOGGER_PREFIX = "laurel.plugin.";

    private final System.Logger logger;
    private final InstantSource clock;

    /** The context of the entry with this {@code id}, on the system clock. */
    public EnginePluginContext(String id) {
        this(id, InstantSource.system());
    }

    /** The context of the entry with this {@code id}, on {@code clock} (for tests). */
    public EnginePluginContext(String id, InstantSource clock) {
        this.logger = new Slf4jSystemLogger(LOGGER_PREFIX + Objects.requireNonNull(id, "id"));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public System.Logger logger() {
        return logger;
    }

    @Override
    public InstantSource clock() {
        return clock;
    }
}
