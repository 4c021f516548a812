package dev.laurel.engine.plugin;

import dev.laurel.api.PluginContext;
import dev.laurel.api.ProcessTable;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * What laurel gives one chain entry: a logger named {@code laurel.plugin.ID} that writes to
 * laurel's own log through SLF4J, the system clock, the process table and the config's proc-root.
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
    private final ProcessTable processes;
    private final String user;
    private final boolean dryRun;
    private final Optional<Path> procRoot;

    /** The context of the entry with this {@code id}, on the system clock, without processes. */
    public EnginePluginContext(String id) {
        this(id, InstantSource.system());
    }

    /** The context of the entry with this {@code id}, on {@code clock} (for tests). */
    public EnginePluginContext(String id, InstantSource clock) {
        this(id, clock, null);
    }

    /**
     * The context of the entry with this {@code id}; {@code processes} is the engine's table, or
     * {@code null} where the engine tracks none.
     */
    public EnginePluginContext(String id, InstantSource clock, ProcessTable processes) {
        this(id, clock, processes, Path.of("/proc"), null, false);
    }

    /**
     * The context of the entry with this {@code id}; {@code processes} is the engine's table, or
     * {@code null} where the engine tracks none; {@code procRoot} is the config's {@code proc-root},
     * or {@code null} for none; {@code user} is the config's {@code user:} (or {@code null}) and
     * {@code dryRun} whether laurel only checks the config.
     */
    public EnginePluginContext(String id, InstantSource clock, ProcessTable processes, Path procRoot,
            String user, boolean dryRun) {
        this.procRoot = Optional.ofNullable(procRoot);
        this.user = user;
        this.dryRun = dryRun;
        this.logger = new Slf4jSystemLogger(LOGGER_PREFIX + Objects.requireNonNull(id, "id"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.processes = processes;
    }

    @Override
    public ProcessTable processes() {
        if (processes == null) {
            return PluginContext.super.processes();
        }
        return processes;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public boolean dryRun() {
        return dryRun;
    }

    @Override
    public Optional<Path> procRoot() {
        return procRoot;
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
