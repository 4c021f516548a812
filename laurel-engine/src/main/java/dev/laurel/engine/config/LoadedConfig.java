package dev.laurel.engine.config;

import dev.laurel.api.Enricher;
import dev.laurel.api.Format;
import dev.laurel.api.Setting;
import dev.laurel.api.Sink;
import dev.laurel.engine.pipeline.Pipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The {@link LaurelConfig} that {@link ConfigLoader} builds once a file has been validated. */
final class LoadedConfig implements LaurelConfig {
    private static final Logger LOG = LoggerFactory.getLogger(LaurelConfig.class);

    /** A created plugin and the entry it was created for. */
    record Created<P extends AutoCloseable>(String id, String type, P plugin) {
    }

    private final Path source;
    /** The engine settings the file set; a null value is one set to nothing. */
    private final Map<Setting<?>, Object> settings;
    private final List<Created<Enricher>> enrichers;
    private final List<Created<Sink>> sinks;
    private final Map<String, Pipeline.Route> routes;
    /** The formats created, each once however many sinks share it, in the order first used. */
    private final List<Created<Format>> formats;
    /** Each sink's format by sink id; a sink missing from it writes the laurel format. */
    private final Map<String, Format> sinkFormats;
    private boolean closed;

    /**
     * {@code routes}: each sink's route by id; a sink missing from it takes the kept events.
     * {@code formats}: the formats created, closed after the sinks; {@code sinkFormats} each sink's by id.
     */
    LoadedConfig(Path source, Map<Setting<?>, Object> settings, List<Created<Enricher>> enrichers,
                 List<Created<Sink>> sinks, Map<String, Pipeline.Route> routes, List<Created<Format>> formats,
                 Map<String, Format> sinkFormats) {
        this.routes = Map.copyOf(routes);
        this.formats = List.copyOf(formats);
        this.sinkFormats = Map.copyOf(sinkFormats);
        this.source = source;
        this.settings = new HashMap<>(settings);
        this.enrichers = List.copyOf(enrichers);
        this.sinks = List.copyOf(sinks);
    }

    @Override
    public Path source() {
        return source;
    }

    /** The value of one of {@link EngineSettings}: as the file sets it, else its default. */
    @SuppressWarnings("unchecked")
    <T> T get(Setting<T> setting) {
        return settings.containsKey(setting) ? (T) settings.get(setting) : setting.defaultValue();
    }

    /** A path setting's value, or null for none. */
    private Path path(Setting<String> setting) {
        return EngineSettings.path(settings, setting);
    }

    @Override
    public String input() {
        return get(EngineSettings.INPUT);
    }

    @Override
    public String user() {
        return get(EngineSettings.USER);
    }

    @Override
    public Path stateDirectory() {
        return path(EngineSettings.STATE);
    }

    @Override
    public int pendingEventsLimit() {
        return get(EngineSettings.PENDING_EVENTS).intValue();
    }

    @Override
    public Path procRoot() {
        return path(EngineSettings.PROC_ROOT);
    }

    @Override
    public int processesLimit() {
        return get(EngineSettings.PROCESSES).intValue();
    }

    @Override
    public Duration stateInterval() {
        return get(EngineSettings.STATE_INTERVAL);
    }

    @Override
    public Duration stateMaxAge() {
        return get(EngineSettings.STATE_MAX_AGE);
    }

    @Override
    public Duration eventTimeWait() {
        return get(EngineSettings.EVENT_TIME_WAIT);
    }

    @Override
    public Duration wallClockWait() {
        return get(EngineSettings.WALL_CLOCK_WAIT);
    }

    @Override
    public Duration flushInterval() {
        return get(EngineSettings.FLUSH_INTERVAL);
    }

    @Override
    public Duration readWindow() {
        return get(EngineSettings.READ_WINDOW);
    }

    @Override
    public String log() {
        return get(EngineSettings.LOG);
    }

    @Override
    public String logLevel() {
        return get(EngineSettings.LOG_LEVEL);
    }

    @Override
    public Path parseErrorLog() {
        return path(EngineSettings.PARSE_ERROR_LOG);
    }

    @Override
    public String marker() {
        String marker = get(EngineSettings.MARKER);
        return EngineSettings.NONE.equals(marker) ? null : marker;
    }

    @Override
    public long parseErrorLogSize() {
        return get(EngineSettings.PARSE_ERROR_LOG_SIZE);
    }

    @Override
    public long pendingBytesLimit() {
        return get(EngineSettings.PENDING_BYTES);
    }

    @Override
    public Duration statusReportPeriod() {
        return get(EngineSettings.STATUS_REPORT_PERIOD);
    }

    @Override
    public List<Enricher> enrichers() {
        return enrichers.stream().map(Created::plugin).toList();
    }

    @Override
    public List<Sink> sinks() {
        return sinks.stream().map(Created::plugin).toList();
    }

    @Override
    public List<String> enricherIds() {
        return enrichers.stream().map(Created::id).toList();
    }

    @Override
    public List<String> sinkIds() {
        return sinks.stream().map(Created::id).toList();
    }

    @Override
    public List<Pipeline.Route> sinkRoutes() {
        return sinks.stream().map(c -> routes.getOrDefault(c.id(), Pipeline.Route.KEPT)).toList();
    }

    @Override
    public List<Format> sinkFormats() {
        // null for the laurel format (Stream.toList keeps nulls)
        return sinks.stream().map(c -> sinkFormats.get(c.id())).toList();
    }

    /** Names each plugin as the log shows it: {@code "id" (type)}. */
    @Override
    public Pipeline.Chain chain() {
        return new Pipeline.Chain(enrichers(), sinks(), sinkRoutes(), this, names(enrichers), names(sinks),
                sinkFormats());
    }

    private static List<String> names(List<? extends Created<?>> created) {
        return created.stream().map(c -> "\"" + c.id() + "\" (" + c.type() + ")").toList();
    }

    /**
     * Closes sinks, then formats, then enrichers, each in reverse chain order; a failure is logged
     * and the rest still closed.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = sinks.size() - 1; i >= 0; i--) {
            closeQuietly("sink", sinks.get(i));
        }
        for (int i = formats.size() - 1; i >= 0; i--) {
            closeQuietly("format", formats.get(i));
        }
        for (int i = enrichers.size() - 1; i >= 0; i--) {
            closeQuietly("enricher", enrichers.get(i));
        }
    }

    private static void closeQuietly(String kind, Created<?> created) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(created.plugin().getClass().getClassLoader());
        try {
            created.plugin().close();
        } catch (Exception | LinkageError e) {
            LOG.warn("closing {} \"{}\" ({}) failed", kind, created.id(), created.type(), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public String toString() {
        return "LaurelConfig{" + source + ", enrichers=" + enricherIds() + ", sinks=" + sinkIds() + "}";
    }
}
