package dev.laurel.engine.cli;

import dev.laurel.engine.config.ConfigError;
import dev.laurel.engine.config.ConfigErrors;
import dev.laurel.engine.config.ConfigLoader;
import dev.laurel.engine.config.LaurelConfig;
import dev.laurel.engine.pipeline.Pipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * SIGHUP's config reload: re-reads the YAML file, creates the new chain and hands it to the
 * pipeline, which switches between two events and closes the old one. An invalid file keeps the
 * running chain; every problem is logged as {@code FILE:LINE:COLUMN: message}.
 *
 * <p>Only the chain (enrichers, sinks, {@code events:} routes) and the diagnostics' log level
 * and destination change without a restart. The input, the state, the limits and the other
 * settings belong to what is running (the reader, the assembler with its pending events, the
 * process table): a change there is logged as needing a restart and the running value kept.
 * The plugin directory is not scanned again.
 *
 * <p>When laurel has root's authority the file is checked as at start-up ({@link TrustedFiles}:
 * the file, every directory up to {@code /}, symbolic links and where they lead, and the plugin
 * jars, whose classes a new chain may load) before it is read: a config that another user may
 * have changed since the start is refused, keeping the running chain, and each reason is logged
 * with the {@code chown} or {@code chmod} that fixes it.
 */
final class ConfigReload {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReload.class);

    private final Path file;
    private final Path pluginsDir;
    private final ConfigLoader loader;
    private final Pipeline pipeline;
    private final LaurelConfig started;

    /**
     * @param pluginsDir the plugins directory laurel started with, or {@code null}
     * @param started the config laurel started with: the one whose non-chain settings are in use
     */
    ConfigReload(Path file, Path pluginsDir, ConfigLoader loader, Pipeline pipeline, LaurelConfig started) {
        this.file = Objects.requireNonNull(file, "file");
        this.pluginsDir = pluginsDir;
        this.loader = Objects.requireNonNull(loader, "loader");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.started = Objects.requireNonNull(started, "started");
    }

    /**
     * Loads the file and, if valid, asks the pipeline to run its chain; returns whether it did.
     * Serialized: two SIGHUPs in a row load twice, in order, and the later chain wins.
     */
    synchronized boolean reload() {
        if (TrustedFiles.apply()) {
            List<String> untrusted = TrustedFiles.problems(file, pluginsDir);
            if (!untrusted.isEmpty()) {
                LOG.error("SIGHUP: {} is not trusted, keeping the running configuration; {} problems:", file,
                        untrusted.size());
                for (String problem : untrusted) {
                    LOG.error("{}", problem);
                }
                return false;
            }
        }
        LaurelConfig next;
        try {
            next = loader.load(file);
        } catch (ConfigErrors e) {
            LOG.error("SIGHUP: {} is invalid, keeping the running configuration; {} problems:", file, e.errors().size());
            for (ConfigError error : e.errors()) {
                LOG.error("{}", error);
            }
            return false;
        } catch (RuntimeException | LinkageError e) {
            LOG.error("SIGHUP: cannot load {}, keeping the running configuration", file, e);
            return false;
        }
        for (String change : needRestart(started, next)) {
            LOG.warn("SIGHUP: {} changed in {}; restart laurel to apply it (keeping the running value)",
                    change, file);
        }
        if (!Objects.equals(started.log(), next.log()) || !Objects.equals(started.logLevel(), next.logLevel())) {
            DiagnosticLog.apply(next.log(), next.logLevel());
        }
        LOG.info("SIGHUP: {} loaded: {} enrichers {}, {} sinks {}", file, next.enrichers().size(), next.enricherIds(),
                next.sinks().size(), next.sinkIds());
        pipeline.replace(next.chain());
        return true;
    }

    /** The settings outside the chain that differ; they only change with a restart. */
    static List<String> needRestart(LaurelConfig running, LaurelConfig next) {
        List<String> changed = new ArrayList<>();
        differs(changed, "input", running, next, LaurelConfig::input);
        differs(changed, "user", running, next, LaurelConfig::user);
        differs(changed, "state", running, next, LaurelConfig::stateDirectory);
        differs(changed, "proc-root", running, next, LaurelConfig::procRoot);
        differs(changed, "limits.pending-events", running, next, LaurelConfig::pendingEventsLimit);
        differs(changed, "limits.processes", running, next, LaurelConfig::processesLimit);
        differs(changed, "limits.event-time-wait", running, next, LaurelConfig::eventTimeWait);
        differs(changed, "limits.wall-clock-wait", running, next, LaurelConfig::wallClockWait);
        differs(changed, "limits.flush-interval", running, next, LaurelConfig::flushInterval);
        differs(changed, "limits.read-window", running, next, LaurelConfig::readWindow);
        differs(changed, "limits.state-interval", running, next, LaurelConfig::stateInterval);
        differs(changed, "limits.state-max-age", running, next, LaurelConfig::stateMaxAge);
        differs(changed, "diagnostics.parse-error-log", running, next, LaurelConfig::parseErrorLog);
        differs(changed, "diagnostics.status-report-period", running, next, LaurelConfig::statusReportPeriod);
        differs(changed, "diagnostics.marker", running, next, LaurelConfig::marker);
        return changed;
    }

    private static void differs(List<String> changed, String name, LaurelConfig a, LaurelConfig b,
                                Function<LaurelConfig, Object> setting) {
        if (!Objects.equals(setting.apply(a), setting.apply(b))) {
            changed.add(name);
        }
    }
}
