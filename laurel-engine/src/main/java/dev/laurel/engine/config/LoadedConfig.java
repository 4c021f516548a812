package dev.laurel.engine.config;

import dev.laurel.api.Enricher;
import dev.laurel.api.Sink;
import dev.laurel.engine.pipeline.Pipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The {@link LaurelConfig} that {@link ConfigLoader} builds once a file has been validated. */
final class LoadedConfig implements LaurelConfig {
    private static final Logger LOG = LoggerFactory.getLogger(LaurelConfig.class);

    /** A created plugin and the entry it was created for. */
    record Created<P extends AutoCloseable>(String id, String type, P plugin) {
    }

    /** The settings outside the chain, defaults filled in. */
    record Settings(String input, String user, Path stateDirectory, Path procRoot, int pendingEventsLimit,
                    int processesLimit,
                    Duration eventTimeWait, Duration wallClockWait, Duration flushInterval,
                    String log, String logLevel, Path parseErrorLog, Duration statusReportPeriod,
                    Duration stateInterval, Duration stateMaxAge, long pendingBytesLimit, long parseErrorLogSize,
                    String marker, Duration readWindow) {
    }

    private final Path source;
    private final Settings settings;
    private final List<Created<Enricher>> enrichers;
    private final List<Created<Sink>> sinks;
    private final Map<String, Pipeline.Route> routes;
    private boolean closed;

    LoadedConfig(Path source, Settings settings, List<Created<Enricher>> enrichers, List<Created<Sink>> sinks) {
        this(source, settings, enrichers, sinks, Map.of());
    }

    /** {@code routes}: each sink's route by id; a sink missing from it takes the kept events. */
    LoadedConfig(Path source, Settings settings, List<Created<Enricher>> enrichers, List<Created<Sink>> sinks,
                 Map<String, Pipeline.Route> routes) {
        this.routes = Map.copyOf(routes);
        this.source = source;
        this.settings = settings;
        this.enrichers = List.copyOf(enrichers);
        this.sinks = List.copyOf(sinks);
    }

    @Override
    public Path source() {
        return source;
    }

    @Override
    public String input() {
        return settings.input();
    }

    @Override
    public String user() {
        return settings.user();
    }

    @Override
    public Path stateDirectory() {
        return settings.stateDirectory();
    }

    @Override
    public int pendingEventsLimit() {
        return settings.pendingEventsLimit();
    }

    @Override
    public Path procRoot() {
        return settings.procRoot();
    }

    @Override
    public int processesLimit() {
        return settings.processesLimit();
    }

    @Override
    public Duration stateInterval() {
        return settings.stateInterval();
    }

    @Override
    public Duration stateMaxAge() {
        return settings.stateMaxAge();
    }

    @Override
    public Duration eventTimeWait() {
        return settings.eventTimeWait();
    }

    @Override
    public Duration wallClockWait() {
        return settings.wallClockWait();
    }

    @Override
    public Duration flushInterval() {
        return settings.flushInterval();
    }

    @Override
    public Duration readWindow() {
        return settings.readWindow();
    }

    @Override
    public String log() {
        return settings.log();
    }

    @Override
    public String logLevel() {
        return settings.logLevel();
    }

    @Override
    public Path parseErrorLog() {
        return settings.parseErrorLog();
    }

    @Override
    public String marker() {
        return settings.marker();
    }

    @Override
    public long parseErrorLogSize() {
        return settings.parseErrorLogSize();
    }

    @Override
    public long pendingBytesLimit() {
        return settings.pendingBytesLimit();
    }

    @Override
    public Duration statusReportPeriod() {
        return settings.statusReportPeriod();
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

    /** Names each plugin as the log shows it: {@code "id" (type)}. */
    @Override
    public Pipeline.Chain chain() {
        return new Pipeline.Chain(enrichers(), sinks(), sinkRoutes(), this, names(enrichers), names(sinks));
    }

    private static List<String> names(List<? extends Created<?>> created) {
        return created.stream().map(c -> "\"" + c.id() + "\" (" + c.type() + ")").toList();
    }

    /** Closes sinks, then enrichers, each in reverse chain order; a failure is logged and the rest still closed. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = sinks.size() - 1; i >= 0; i--) {
            closeQuietly("sink", sinks.get(i));
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
