package dev.laurel.engine.config;

import dev.laurel.api.Setting;
import dev.laurel.engine.assemble.EventAssembler;
import dev.laurel.engine.input.LineReader;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The engine's own settings, outside the chain, declared like a plugin's options so that
 * {@link ConfigLoader} checks them the same way, {@code laurel settings} lists them and
 * {@code docs/reference-settings.md} is generated from them.
 *
 * <pre>{@code
 * config.get(EngineSettings.FLUSH_INTERVAL)   // a Duration, the default when the file does not say
 * }</pre>
 */
public final class EngineSettings {
    private EngineSettings() {
    }

    /** A group of settings as the file nests them: the top level (name "") or a section such as {@code limits}. */
    public record Section(String name, String description, List<Setting<?>> settings) {
        public Section {
            settings = List.copyOf(settings);
        }

        /** The key as users write it in a message: {@code limits.pending-events}, {@code input}. */
        public String key(Setting<?> setting) {
            return name.isEmpty() ? setting.name() : name + "." + setting.name();
        }

        /** The names of the settings, in declaration order. */
        public List<String> names() {
            return settings.stream().map(Setting::name).toList();
        }
    }

    /** The word that turns off a path or text setting whose default is something. */
    public static final String NONE = "none";

    public static final Setting<String> INPUT = Setting.string("input",
                    "Where the audit records come from: \"-\" for standard input (as auditd runs plugins), "
                            + "unix:/path for auditd's af_unix socket, or a file")
            .withDefault("-");
    public static final Setting<String> USER = Setting.string("user",
            "The account laurel runs as; the launcher drops to it (none: keep the starting account)");
    public static final Setting<String> STATE = Setting.string("state",
            "A directory where the process table and unfinished events are kept across restarts (none: not kept)");
    public static final Setting<String> PROC_ROOT = Setting.string("proc-root",
                    "Where /proc is mounted: the process table is seeded from it at start-up and, for live input, "
                            + "learns from it which processes died; plugins read processes from it; none: neither")
            .withDefault("/proc");

    public static final Setting<Long> PENDING_EVENTS = Setting.integer("pending-events",
                    "Unfinished events held at most; the oldest is emitted when full")
            .withDefault(10_000L)
            .check(n -> n >= 1, "must be at least 1")
            .check(n -> n <= Integer.MAX_VALUE, "must be at most " + Integer.MAX_VALUE);
    public static final Setting<Long> PENDING_BYTES = Setting.byteSize("pending-bytes",
                    "Bytes of input lines held in unfinished events at most; the oldest is emitted when full")
            .withDefault(EventAssembler.Limits.DEFAULT_PENDING_BYTES)
            .check(n -> n >= 64 * 1024, "must be at least 65536");
    public static final Setting<Long> PROCESSES = Setting.integer("processes",
                    "Processes tracked at most; dead ones no live process descends from go first")
            .withDefault(100_000L)
            .check(n -> n >= 16, "must be at least 16")
            .check(n -> n <= 10_000_000, "must be at most 10000000");
    public static final Setting<Duration> EVENT_TIME_WAIT = Setting.duration("event-time-wait",
                    "Emit an event that has no EOE record once records this much younger (in audit time) arrive")
            .withDefault(Duration.ofSeconds(3));
    public static final Setting<Duration> WALL_CLOCK_WAIT = Setting.duration("wall-clock-wait",
                    "... or once it has waited this long while input keeps coming")
            .withDefault(Duration.ofSeconds(5));
    public static final Setting<Duration> FLUSH_INTERVAL = Setting.duration("flush-interval",
                    "Sinks are flushed once all input so far is read, at the latest this long after an event")
            .withDefault(Duration.ofMillis(100))
            .check(d -> !d.isZero(), "must be longer than 0");
    public static final Setting<Duration> READ_WINDOW = Setting.duration("read-window",
                    "Live input arriving a record at a time is read once per window (0: each record at once)")
            .withDefault(LineReader.DEFAULT_WINDOW)
            .check(d -> d.compareTo(LineReader.LONGEST_WINDOW) <= 0, "must be at most "
                    + LineReader.LONGEST_WINDOW.toMillis() + "ms, as a record waits up to this long before it is read");
    public static final Setting<Duration> STATE_INTERVAL = Setting.duration("state-interval",
                    "How often the state file is also written while running (0: only at exit and on SIGHUP)")
            .withDefault(Duration.ofMinutes(1));
    public static final Setting<Duration> STATE_MAX_AGE = Setting.duration("state-max-age",
                    "A state file older than this is ignored at start-up")
            .withDefault(Duration.ofHours(1))
            .check(d -> !d.isZero(), "must be longer than 0");

    public static final Setting<String> LOG = Setting.choice("log",
                    "Where laurel logs: auto (syslog when stderr is /dev/null or closed, as under auditd; "
                            + "stderr otherwise), stderr or syslog",
                    "auto", "stderr", "syslog")
            .withDefault("auto");
    public static final Setting<String> LOG_LEVEL = Setting.choice("log-level", "How much laurel logs",
                    "error", "warn", "info", "debug", "trace")
            .withDefault("info");
    public static final Setting<String> PARSE_ERROR_LOG = Setting.string("parse-error-log",
            "A file for the lines laurel could not parse or use, with the reason (none: not written)");
    public static final Setting<Long> PARSE_ERROR_LOG_SIZE = Setting.byteSize("parse-error-log-size",
                    "Bytes after which the parse-error log is renamed to FILE.1 and begun again")
            .withDefault(10L << 20)
            .check(n -> n >= 4096, "must be at least 4096");
    public static final Setting<Duration> STATUS_REPORT_PERIOD = Setting.duration("status-report-period",
                    "How often laurel logs a status report with its counters (0: never)")
            .withDefault(Duration.ZERO);
    public static final Setting<String> MARKER = Setting.string("marker",
            "A text logged at start and with each status report, to find this instance's lines (none: no marker)");

    /** The keys at the top of the file. */
    public static final Section TOP = new Section("", "The top of the file",
            List.of(INPUT, USER, STATE, PROC_ROOT));
    /** {@code limits:} */
    public static final Section LIMITS = new Section("limits", "How much laurel holds and how long it waits",
            List.of(PENDING_EVENTS, PENDING_BYTES, PROCESSES, EVENT_TIME_WAIT, WALL_CLOCK_WAIT, FLUSH_INTERVAL,
                    READ_WINDOW, STATE_INTERVAL, STATE_MAX_AGE));
    /** {@code diagnostics:} */
    public static final Section DIAGNOSTICS = new Section("diagnostics", "laurel's own log and reports",
            List.of(LOG, LOG_LEVEL, PARSE_ERROR_LOG, PARSE_ERROR_LOG_SIZE, STATUS_REPORT_PERIOD, MARKER));
    /** Every section, in the order the reference lists them. */
    public static final List<Section> SECTIONS = List.of(TOP, LIMITS, DIAGNOSTICS);

    /** The text settings whose value has a form of its own, for "expected ..., found ...". */
    private static final Map<Setting<?>, String> EXPECTED = Map.of(
            INPUT, "\"-\" (stdin), \"unix:/path\" (a socket) or a file path",
            USER, "an account name",
            STATE, "a directory path",
            PROC_ROOT, "a directory path, or none",
            PARSE_ERROR_LOG, "a file path or none",
            MARKER, "a one-line text (written to laurel's log at start and with each status report)");

    /** What a value of {@code setting} looks like, for "expected ...". */
    static String expected(Setting<?> setting) {
        return EXPECTED.getOrDefault(setting, SettingValues.expected(setting));
    }

    /** The path in a text setting's value that must be a valid path, or null where there is none. */
    static String pathIn(Setting<?> setting, String value) {
        if (setting == INPUT) {
            return value.equals("-") ? null : value.startsWith("unix:") ? value.substring(5) : value;
        }
        if (setting == STATE || (setting == PROC_ROOT || setting == PARSE_ERROR_LOG) && !value.equals(NONE)) {
            return value;
        }
        return null;
    }

    /** A path setting's value in {@code values} (or its default), or null for none. */
    static Path path(Map<Setting<?>, Object> values, Setting<String> setting) {
        String value = values.containsKey(setting) ? (String) values.get(setting) : setting.defaultValue();
        return value == null || value.equals(NONE) ? null : Path.of(value);
    }

    /** Whether a value that is text has the form {@code setting} needs, beyond being text. */
    static boolean hasForm(Setting<?> setting, String value) {
        if (setting == MARKER) {
            return value.equals(NONE) || LaurelConfig.isMarkerText(value);
        }
        return !value.isEmpty();
    }
}
