package dev.laurel.engine.config;

import dev.laurel.api.Enricher;
import dev.laurel.api.Format;
import dev.laurel.api.Sink;
import dev.laurel.engine.pipeline.Pipeline;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A validated configuration with its chain created, in the order the file lists it.
 *
 * <p>The YAML file (see docs/reference.md, "Settings"):
 * <pre>
 * input: "-"                 # "-" = stdin (default), "unix:/path" = auditd's af_unix socket, or a file
 * user: _laurel              # account to run as (used by the launcher)
 * state: /var/lib/laurel     # state directory: process table and unfinished events across restarts
 * proc-root: /proc           # where /proc is: the process table is seeded and plugins read from it; none = neither
 * limits:
 *   pending-events: 10000    # unfinished events held at most; the oldest is emitted when full
 *   pending-bytes: 16777216  # bytes of their input lines held at most; the oldest is emitted when full
 *   processes: 100000        # processes tracked at most; dead ones no live process descends from go first
 *   event-time-wait: 3s      # emit an event without EOE once records 3 s younger arrive
 *   wall-clock-wait: 5s      # ... or once it has waited this long with live input
 *   flush-interval: 100ms    # sinks are flushed once all input so far is read, at the latest this long after an event
 *   read-window: 40ms        # live input arriving a record at a time is read once per window (0 = at once)
 *   state-interval: 1m       # how often the state file is also written while running; 0 = only at exit and SIGHUP
 *   state-max-age: 1h        # a state file older than this is ignored at start-up
 * diagnostics:
 *   log: auto                # auto (syslog when stderr is /dev/null or closed) | stderr | syslog
 *   log-level: info
 *   parse-error-log: none    # a file for lines laurel could not parse or use, with the reason, or none
 *   parse-error-log-size: 10485760 # then renamed to FILE.1 and begun again
 *   status-report-period: 0s # 0 = no periodic status reports
 *   marker: none             # a text logged at start and with each status report
 * enrichers:
 *   - type: hex-decoder
 * sinks:
 *   - type: json-file
 *     file: "-"
 *     events: kept           # kept (default) | filtered (only events an enricher dropped) | all
 * </pre>
 * Durations are written {@code 250ms}, {@code 3s}, {@code 5m} or {@code 1h}. Every key is
 * optional; the values above are the defaults, except that {@code user}, {@code state} and the
 * chain default to none. Each chain entry is {@code type:}, an optional {@code id:} (unique in the
 * file, the type by default) and the plugin's own options; a sink entry may also say {@code events:}.
 *
 * <p>Owns the created plugins: {@link #close()} closes sinks then enrichers, each in reverse order.
 */
public interface LaurelConfig extends AutoCloseable {

    /** The file it was read from. */
    Path source();

    /** {@code "-"} for stdin, {@code "unix:/path"}, or a file path. */
    String input();

    /** The account to run as, or {@code null}. */
    String user();

    /** The state directory, or {@code null}. */
    Path stateDirectory();

    int pendingEventsLimit();

    /** {@code limits.pending-bytes}: bytes of input lines held in unfinished events at most. */
    default long pendingBytesLimit() {
        return dev.laurel.engine.assemble.EventAssembler.Limits.DEFAULT_PENDING_BYTES;
    }

    /** The default {@link #parseErrorLogSize()}: 10 MiB. */
    long DEFAULT_PARSE_ERROR_LOG_SIZE = 10L << 20;

    /**
     * {@code diagnostics.parse-error-log-size}: the parse-error log is renamed to {@code FILE.1}
     * (replacing the previous one) and begun again before it grows past this many bytes.
     */
    default long parseErrorLogSize() {
        return DEFAULT_PARSE_ERROR_LOG_SIZE;
    }

    /**
     * How often the state file is written while running, besides at the end, on SIGTERM and on
     * SIGHUP; zero for never. Only with a {@link #stateDirectory()}.
     */
    default Duration stateInterval() {
        return Duration.ofMinutes(1);
    }

    /** A state file written longer ago than this is ignored at start-up. */
    default Duration stateMaxAge() {
        return Duration.ofHours(1);
    }

    /** The /proc tree to seed the process table from, or {@code null} for none. */
    Path procRoot();

    /** The most processes the process table holds. */
    int processesLimit();

    Duration eventTimeWait();

    Duration wallClockWait();

    Duration flushInterval();

    /**
     * How long live input that arrives a record at a time gathers before it is read and handed
     * over: one wake-up per window instead of one per record; a record waits at most this long.
     * Zero reads each record as it comes.
     */
    Duration readWindow();

    /** {@code auto}, {@code stderr} or {@code syslog}. */
    String log();

    String logLevel();

    /** Where unparsable lines are written, or {@code null}. */
    Path parseErrorLog();

    /** Zero for none. */
    Duration statusReportPeriod();

    /**
     * {@code diagnostics.marker}: a text logged at start and with every status report, so that an
     * operator can find this instance's lines (e.g. the host or a deployment id); {@code null} for none.
     */
    default String marker() {
        return null;
    }

    /**
     * Whether {@code text} can be a {@code diagnostics.marker}: one line of text, not empty, and not
     * {@code none} (which means no marker).
     */
    static boolean isMarkerText(String text) {
        return text != null && !text.isEmpty() && !text.equals("none")
                && text.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
    }

    /** The enrichers, in chain order. */
    List<Enricher> enrichers();

    /** The sinks, in chain order. */
    List<Sink> sinks();

    /**
     * The {@code id} of each enricher, in the order of {@link #enrichers()} (for logs and counters).
     * The default, for hand-made configs in tests, numbers them: {@code enricher-1}, ...
     */
    default List<String> enricherIds() {
        return IntStream.rangeClosed(1, enrichers().size()).mapToObj(i -> "enricher-" + i).toList();
    }

    /** The {@code id} of each sink, in the order of {@link #sinks()}; by default {@code sink-1}, ... */
    default List<String> sinkIds() {
        return IntStream.rangeClosed(1, sinks().size()).mapToObj(i -> "sink-" + i).toList();
    }

    /**
     * Which events each sink takes ({@code events:}), in the order of {@link #sinks()}; by
     * default every sink takes the kept events.
     */
    default List<Pipeline.Route> sinkRoutes() {
        return sinks().stream().map(s -> Pipeline.Route.KEPT).toList();
    }

    /**
     * Each sink's output format ({@code format:}), in the order of {@link #sinks()}; sinks with the
     * same format and options share one instance, so that an event is encoded once per format. By
     * default, and for a sink missing from the list, the laurel format.
     */
    default List<Format> sinkFormats() {
        return List.of();
    }

    /**
     * The chain to run: the enrichers and sinks, the sinks' routes, this config as the owner that
     * closes them, and each plugin's name for the log. The default names them by {@link #enricherIds()}
     * and {@link #sinkIds()}.
     */
    default Pipeline.Chain chain() {
        return new Pipeline.Chain(enrichers(), sinks(), sinkRoutes(), this, enricherIds(), sinkIds(), sinkFormats());
    }

    /** Closes every created plugin: sinks, then enrichers, each in reverse chain order. */
    @Override
    void close();
}
