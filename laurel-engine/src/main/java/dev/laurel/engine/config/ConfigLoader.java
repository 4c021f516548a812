package dev.laurel.engine.config;

import dev.laurel.api.ConfigException;
import dev.laurel.api.Enricher;
import dev.laurel.api.PluginFactory;
import dev.laurel.api.ProcessTable;
import dev.laurel.api.Setting;
import dev.laurel.api.internal.OutputFiles;
import dev.laurel.engine.assemble.EventAssembler;
import dev.laurel.engine.input.LineReader;
import dev.laurel.api.Sink;
import dev.laurel.engine.plugin.EnginePluginContext;
import dev.laurel.engine.pipeline.Pipeline;
import dev.laurel.engine.plugin.PluginRegistry;
import dev.laurel.engine.state.StateFile;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static dev.laurel.engine.config.YamlNodes.describe;
import static dev.laurel.engine.config.YamlNodes.isNull;
import static dev.laurel.engine.config.YamlNodes.position;
import static dev.laurel.engine.config.YamlNodes.quote;
import static dev.laurel.engine.config.YamlNodes.text;

/**
 * Reads a YAML config (SnakeYAML, keeping node marks), validates every setting against the
 * plugins' declared {@link dev.laurel.api.Setting}s and creates the chain. Every problem is
 * collected and reported together, each with file:line:column.
 *
 * <pre>{@code
 * try (LaurelConfig config = new ConfigLoader(PluginRegistry.discover(pluginsDir)).load(file)) {
 *     ...
 * } catch (ConfigErrors e) {
 *     System.err.println(e.getMessage());   // laurel.yaml:7:5: unknown option "fil" for json-file; ...
 *     System.exit(ConfigErrors.EXIT_STATUS);
 * }
 * }</pre>
 *
 * <p>Entries whose own options are valid are created even when other parts of the file have
 * problems, so that problems only a plugin can see are reported in the same run; whatever was
 * created is closed again before the errors are thrown.
 */
public final class ConfigLoader {

    static final List<String> TOP_LEVEL_KEYS =
            List.of("input", "user", "state", "proc-root", "limits", "diagnostics", "enrichers", "sinks");
    static final List<String> LIMITS_KEYS =
            List.of("pending-events", "pending-bytes", "processes", "event-time-wait", "wall-clock-wait",
                    "flush-interval", "read-window", "state-interval", "state-max-age");
    static final List<String> DIAGNOSTICS_KEYS =
            List.of("log", "log-level", "parse-error-log", "parse-error-log-size", "status-report-period", "marker");

    private static final String ENRICHER = "enricher";
    private static final String SINK = "sink";

    // The settings outside the chain, declared like a plugin's so they are checked the same way.
    private static final Setting<Long> PENDING_EVENTS = Setting.integer("pending-events", "unfinished events held")
            .check(n -> n >= 1, "must be at least 1")
            .check(n -> n <= Integer.MAX_VALUE, "must be at most " + Integer.MAX_VALUE);
    private static final Setting<Long> PENDING_BYTES = Setting.integer("pending-bytes",
                    "bytes of input lines held in unfinished events; the oldest is emitted when full")
            .check(n -> n >= 64 * 1024, "must be at least 65536");
    private static final Setting<Long> PARSE_ERROR_LOG_SIZE = Setting.integer("parse-error-log-size",
                    "bytes after which the parse-error log is renamed to FILE.1 and begun again")
            .check(n -> n >= 4096, "must be at least 4096");
    private static final Setting<String> LOG = Setting.choice("log", "where laurel logs", "auto", "stderr", "syslog");
    private static final Setting<String> LOG_LEVEL =
            Setting.choice("log-level", "how much laurel logs", "error", "warn", "info", "debug", "trace");

    /** The engine's own option on every sink entry, reserved beside {@code type} and {@code id}. */
    static final String EVENTS_KEY = "events";
    private static final Setting<String> EVENTS = Setting.choice(EVENTS_KEY,
            "which events the sink takes: kept (default), filtered (only those an enricher dropped) or all",
            "kept", "filtered", "all");

    private static final Setting<Long> PROCESSES = Setting.integer("processes", "processes tracked at most")
            .check(n -> n >= 16, "must be at least 16")
            .check(n -> n <= 10_000_000, "must be at most 10000000");

    private static final LoadedConfig.Settings DEFAULTS = new LoadedConfig.Settings(
            "-", null, null, Path.of("/proc"), 10_000, 100_000, Duration.ofSeconds(3), Duration.ofSeconds(5),
            Duration.ofMillis(100), "auto", "info", null, Duration.ZERO, Duration.ofMinutes(1), Duration.ofHours(1),
            EventAssembler.Limits.DEFAULT_PENDING_BYTES, LaurelConfig.DEFAULT_PARSE_ERROR_LOG_SIZE, null,
            LineReader.DEFAULT_WINDOW);

    private final PluginRegistry registry;
    private final ProcessTable processes;
    private final boolean dryRun;

    /** A loader whose plugins get no process table (for tools that only check configs). */
    public ConfigLoader(PluginRegistry registry) {
        this(registry, null);
    }

    /** A loader whose plugins share the engine's process table. */
    public ConfigLoader(PluginRegistry registry, ProcessTable processes) {
        this(registry, processes, false);
    }

    /**
     * A loader whose plugins share the engine's process table; with {@code dryRun}
     * ({@code --dry-run}) they only check what they would open or create, and create nothing.
     */
    public ConfigLoader(PluginRegistry registry, ProcessTable processes, boolean dryRun) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.processes = processes;
        this.dryRun = dryRun;
    }

    /** Loads, validates and creates the chain; throws with every problem found. */
    public LaurelConfig load(Path file) throws ConfigErrors {
        return new Reading(file).read();
    }

    /**
     * {@code 250ms}, {@code 3s}, {@code 5m}, {@code 1h} or {@code 0}; null for anything else.
     */
    static Duration parseDuration(String text) {
        if (text == null) {
            return null;
        }
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        int digits = 0;
        while (digits < text.length() && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') {
            digits++;
        }
        // Twelve digits of hours still fit a Duration; more is a typo, not a wish.
        if (digits == 0 || digits > 12) {
            return null;
        }
        long n = Long.parseLong(text.substring(0, digits));
        return switch (text.substring(digits)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> null;
        };
    }

    /** One chain entry as written, and what became of it. */
    private static final class Entry {
        final String kind;
        final int number;
        final MappingNode node;
        Node typeKey;
        String type;
        Node idNode;
        String id;
        PluginFactory<?> factory;
        Pipeline.Route route = Pipeline.Route.KEPT;
        Map<String, NodeTuple> options = Map.of();
        EntryConfig config;

        Entry(String kind, int number, MappingNode node) {
            this.kind = kind;
            this.number = number;
            this.node = node;
        }

        /** Where problems with the entry as a whole are reported: its {@code type:}. */
        Node where() {
            return typeKey != null ? typeKey : node;
        }

        /** {@code enricher 2} */
        String label() {
            return kind + " " + number;
        }
    }

    /** One reading of one file. */
    private final class Reading {
        private final Path file;
        private final Problems problems;

        private String input = DEFAULTS.input();
        private String user = DEFAULTS.user();
        private Path state = DEFAULTS.stateDirectory();
        private Node stateNode;
        private Node parseErrorLogNode;
        private Path procRoot = DEFAULTS.procRoot();
        private int pendingEvents = DEFAULTS.pendingEventsLimit();
        private long pendingBytes = DEFAULTS.pendingBytesLimit();
        private long parseErrorLogSize = DEFAULTS.parseErrorLogSize();
        private String marker = DEFAULTS.marker();
        private int processesLimit = DEFAULTS.processesLimit();
        private Duration eventTimeWait = DEFAULTS.eventTimeWait();
        private Duration wallClockWait = DEFAULTS.wallClockWait();
        private Duration flushInterval = DEFAULTS.flushInterval();
        private Duration readWindow = DEFAULTS.readWindow();
        private String log = DEFAULTS.log();
        private String logLevel = DEFAULTS.logLevel();
        private Path parseErrorLog = DEFAULTS.parseErrorLog();
        private Duration statusReportPeriod = DEFAULTS.statusReportPeriod();
        private Duration stateInterval = DEFAULTS.stateInterval();
        private Duration stateMaxAge = DEFAULTS.stateMaxAge();
        private final List<Entry> enrichers = new ArrayList<>();
        private final List<Entry> sinks = new ArrayList<>();

        Reading(Path file) {
            this.file = file;
            this.problems = new Problems(file.toString());
        }

        LaurelConfig read() throws ConfigErrors {
            Node root = ConfigFile.compose(file, problems);
            if (!problems.isEmpty()) {
                throw problems.toException();
            }
            if (root != null && !isNull(root)) {
                readTopLevel(root);
            }
            checkIds();
            checkRequires();
            checkOutputPlaces();
            // Enrichers first: plugins are created in file order, as users read the chain.
            List<LoadedConfig.Created<Enricher>> createdEnrichers = create(enrichers, Enricher.class);
            List<LoadedConfig.Created<Sink>> createdSinks = create(sinks, Sink.class);
            Map<String, Pipeline.Route> routes = new LinkedHashMap<>();
            for (Entry entry : sinks) {
                if (entry.id != null) {
                    routes.putIfAbsent(entry.id, entry.route);
                }
            }
            LoadedConfig config = new LoadedConfig(file, settings(), createdEnrichers, createdSinks, routes);
            if (!problems.isEmpty()) {
                config.close();
                throw problems.toException();
            }
            return config;
        }

        private LoadedConfig.Settings settings() {
            return new LoadedConfig.Settings(input, user, state, procRoot, pendingEvents, processesLimit, eventTimeWait,
                    wallClockWait, flushInterval, log, logLevel, parseErrorLog, statusReportPeriod,
                    stateInterval, stateMaxAge, pendingBytes, parseErrorLogSize, marker, readWindow);
        }

        private void readTopLevel(Node root) {
            if (!(root instanceof MappingNode mapping)) {
                problems.at(root, "expected a mapping of settings such as \"input:\" and \"sinks:\", found "
                        + describe(root));
                return;
            }
            for (Map.Entry<String, NodeTuple> e : YamlNodes.entries(mapping, problems).entrySet()) {
                Node value = e.getValue().getValueNode();
                switch (e.getKey()) {
                    case "input" -> readInput(value);
                    case "user" -> user = ConfigFile.account(value, problems);
                    case "state" -> {
                        state = path("state", value, "a directory path");
                        stateNode = value;
                    }
                    case "proc-root" -> procRoot = "none".equals(text(value)) ? null
                            : path("proc-root", value, "a directory path, or none");
                    case "limits" -> readLimits(value);
                    case "diagnostics" -> readDiagnostics(value);
                    case "enrichers" -> readChain(ENRICHER, "enrichers", value, enrichers);
                    case "sinks" -> readChain(SINK, "sinks", value, sinks);
                    default -> unknownKey(e.getValue().getKeyNode(), e.getKey(), null, TOP_LEVEL_KEYS);
                }
            }
        }

        private void unknownKey(Node at, String key, String section, List<String> known) {
            problems.at(at, "unknown key " + quote(key) + (section == null ? "" : " in " + section)
                    + "; valid keys" + (section == null ? "" : " in " + section) + " are: " + String.join(", ", known)
                    + ClosestName.suggestion(key, known));
        }

        private void readInput(Node node) {
            String text = text(node);
            if (text == null || text.isEmpty()) {
                problems.at(node, "input: expected \"-\" (stdin), \"unix:/path\" (a socket) or a file path, found "
                        + describe(node));
            } else if (text.equals("unix:")) {
                problems.at(node, "input: \"unix:\" needs the socket's path, e.g. unix:/var/run/laurel.sock");
            } else if (text.equals("-") || validPath("input", node, text.startsWith("unix:") ? text.substring(5) : text)) {
                input = text;
            }
        }

        private String optionalText(String name, Node node, String expected) {
            if (isNull(node)) {
                return null;
            }
            String text = text(node);
            if (text == null || text.isEmpty()) {
                problems.at(node, name + ": expected " + expected + ", found " + describe(node));
            }
            return text;
        }

        private Path path(String name, Node node, String expected) {
            String text = optionalText(name, node, expected);
            if (text == null || text.isEmpty() || !validPath(name, node, text)) {
                return null;
            }
            return Path.of(text);
        }

        private boolean validPath(String name, Node node, String text) {
            try {
                Path.of(text);
                return true;
            } catch (InvalidPathException e) {
                problems.at(node, name + ": " + quote(text) + " is not a valid path: " + e.getReason());
                return false;
            }
        }

        private Map<String, NodeTuple> section(String name, Node node, List<String> keys) {
            if (isNull(node)) {
                return Map.of();
            }
            if (!(node instanceof MappingNode mapping)) {
                problems.at(node, name + ": expected a mapping with " + String.join(", ", keys) + ", found "
                        + describe(node));
                return Map.of();
            }
            Map<String, NodeTuple> entries = YamlNodes.entries(mapping, problems);
            entries.forEach((key, tuple) -> {
                if (!keys.contains(key)) {
                    unknownKey(tuple.getKeyNode(), key, name, keys);
                }
            });
            return entries;
        }

        private void readLimits(Node node) {
            Map<String, NodeTuple> entries = section("limits", node, LIMITS_KEYS);
            Node n;
            if ((n = valueOf(entries, "pending-events")) != null) {
                Object v = SettingValues.convert(PENDING_EVENTS, "limits.pending-events", n, problems);
                if (v != null) {
                    pendingEvents = ((Long) v).intValue();
                }
            }
            if ((n = valueOf(entries, "pending-bytes")) != null) {
                Object v = SettingValues.convert(PENDING_BYTES, "limits.pending-bytes", n, problems);
                if (v != null) {
                    pendingBytes = (Long) v;
                }
            }
            if ((n = valueOf(entries, "processes")) != null) {
                Object v = SettingValues.convert(PROCESSES, "limits.processes", n, problems);
                if (v != null) {
                    processesLimit = ((Long) v).intValue();
                }
            }
            eventTimeWait = duration(entries, "limits.event-time-wait", false, eventTimeWait);
            wallClockWait = duration(entries, "limits.wall-clock-wait", false, wallClockWait);
            flushInterval = duration(entries, "limits.flush-interval", true, flushInterval);
            Node windowNode = valueOf(entries, "read-window");
            Duration window = duration(entries, "limits.read-window", false, readWindow);
            if (windowNode != null && window.compareTo(LineReader.LONGEST_WINDOW) > 0) {
                problems.at(windowNode, "limits.read-window: must be at most " + LineReader.LONGEST_WINDOW.toMillis()
                        + "ms, as a record waits up to this long before it is read (got " + text(windowNode) + ")");
            } else {
                readWindow = window;
            }
            stateInterval = duration(entries, "limits.state-interval", false, stateInterval);
            stateMaxAge = duration(entries, "limits.state-max-age", true, stateMaxAge);
        }

        private void readDiagnostics(Node node) {
            Map<String, NodeTuple> entries = section("diagnostics", node, DIAGNOSTICS_KEYS);
            Node n;
            if ((n = valueOf(entries, "log")) != null) {
                Object v = SettingValues.convert(LOG, "diagnostics.log", n, problems);
                log = v != null ? (String) v : log;
            }
            if ((n = valueOf(entries, "log-level")) != null) {
                Object v = SettingValues.convert(LOG_LEVEL, "diagnostics.log-level", n, problems);
                logLevel = v != null ? (String) v : logLevel;
            }
            if ((n = valueOf(entries, "parse-error-log")) != null) {
                String text = text(n);
                if ("none".equals(text)) {
                    parseErrorLog = null;
                } else if (text == null || text.isEmpty()) {
                    problems.at(n, "diagnostics.parse-error-log: expected a file path or none, found " + describe(n));
                } else {
                    parseErrorLog = path("diagnostics.parse-error-log", n, "a file path or none");
                    parseErrorLogNode = n;
                }
            }
            if ((n = valueOf(entries, "parse-error-log-size")) != null) {
                Object v = SettingValues.convert(PARSE_ERROR_LOG_SIZE, "diagnostics.parse-error-log-size", n, problems);
                if (v != null) {
                    parseErrorLogSize = (Long) v;
                }
            }
            statusReportPeriod = duration(entries, "diagnostics.status-report-period", false, statusReportPeriod);
            if ((n = valueOf(entries, "marker")) != null) {
                String text = text(n);
                if ("none".equals(text)) {
                    marker = null;
                } else if (!LaurelConfig.isMarkerText(text)) {
                    problems.at(n, "diagnostics.marker: expected a one-line text (written to laurel's log at "
                            + "start and with each status report), found " + describe(n));
                } else {
                    marker = text;
                }
            }
        }

        private static Node valueOf(Map<String, NodeTuple> entries, String key) {
            NodeTuple t = entries.get(key);
            return t == null ? null : t.getValueNode();
        }

        private Duration duration(Map<String, NodeTuple> entries, String name, boolean positive, Duration current) {
            Node node = valueOf(entries, name.substring(name.indexOf('.') + 1));
            if (node == null) {
                return current;
            }
            String text = text(node);
            Duration d = parseDuration(text);
            if (d == null) {
                problems.at(node, name + ": expected a duration such as 250ms, 3s, 5m or 1h, found " + describe(node));
                return current;
            }
            if (positive && d.isZero()) {
                problems.at(node, name + ": must be longer than 0 (got " + text + ")");
                return current;
            }
            return d;
        }

        private void readChain(String kind, String name, Node node, List<Entry> into) {
            if (isNull(node)) {
                return;
            }
            if (!(node instanceof SequenceNode sequence)) {
                problems.at(node, name + ": expected a list of entries such as \"- type: NAME\", found "
                        + describe(node));
                return;
            }
            int number = 0;
            for (Node item : sequence.getValue()) {
                number++;
                if (!(item instanceof MappingNode mapping)) {
                    String text = text(item);
                    problems.at(item, "expected an entry such as \"- type: NAME\", found " + describe(item)
                            + (text != null && !text.isEmpty() ? "; write \"- type: " + text + "\"" : ""));
                    continue;
                }
                Entry entry = new Entry(kind, number, mapping);
                readEntry(entry);
                into.add(entry);
            }
        }

        private void readEntry(Entry entry) {
            Map<String, NodeTuple> options = YamlNodes.entries(entry.node, problems);
            NodeTuple typeTuple = options.remove("type");
            NodeTuple idTuple = options.remove("id");
            NodeTuple eventsTuple = entry.kind.equals(SINK) ? options.remove(EVENTS_KEY) : null;
            entry.options = options;
            if (eventsTuple != null) {
                Object route = SettingValues.convert(EVENTS, EVENTS_KEY, eventsTuple.getValueNode(), problems);
                if (route != null) {
                    entry.route = Pipeline.Route.valueOf(((String) route).toUpperCase(java.util.Locale.ROOT));
                }
            }
            if (idTuple != null) {
                entry.idNode = idTuple.getValueNode();
                String id = text(entry.idNode);
                if (id == null || id.isEmpty()) {
                    problems.at(entry.idNode, "id: expected a name for this " + entry.kind + ", found "
                            + describe(entry.idNode));
                } else {
                    entry.id = id;
                }
            }
            if (typeTuple == null) {
                problems.at(entry.node, "this " + entry.kind + " has no type; add \"type: NAME\" ("
                        + available(entry.kind) + ")");
                return;
            }
            entry.typeKey = typeTuple.getKeyNode();
            Node typeNode = typeTuple.getValueNode();
            entry.type = text(typeNode);
            if (entry.type == null || entry.type.isEmpty()) {
                problems.at(typeNode, "type: expected the name of a" + (entry.kind.equals(ENRICHER) ? "n " : " ")
                        + entry.kind + ", found " + describe(typeNode) + " (" + available(entry.kind) + ")");
                entry.type = null;
                return;
            }
            entry.factory = factory(entry.kind, entry.type, typeNode);
            if (entry.factory != null) {
                if (idTuple == null) {
                    // Only a known type makes a default id; two unknown ones are reported as unknown.
                    entry.id = entry.type;
                }
                readOptions(entry);
            }
        }

        private Map<String, ? extends PluginFactory<?>> factories(String kind) {
            return kind.equals(ENRICHER) ? registry.enrichers() : registry.sinks();
        }

        private String plural(String kind) {
            return kind + "s";
        }

        private String available(String kind) {
            Map<String, ? extends PluginFactory<?>> all = factories(kind);
            return all.isEmpty()
                    ? "no " + plural(kind) + " are installed"
                    : "available " + plural(kind) + ": " + String.join(", ", all.keySet());
        }

        private PluginFactory<?> factory(String kind, String type, Node typeNode) {
            PluginFactory<?> factory = factories(kind).get(type);
            if (factory != null) {
                return factory;
            }
            String other = kind.equals(ENRICHER) ? SINK : ENRICHER;
            if (factories(other).containsKey(type)) {
                problems.at(typeNode, type + " is a" + (other.equals(ENRICHER) ? "n " : " ") + other + ", not a"
                        + (kind.equals(ENRICHER) ? "n " : " ") + kind + "; move this entry under "
                        + plural(other) + ":");
            } else {
                problems.at(typeNode, "unknown " + kind + " type " + quote(type) + "; " + available(kind)
                        + ClosestName.suggestion(type, factories(kind).keySet()));
            }
            return null;
        }

        private void readOptions(Entry entry) {
            Map<String, Setting<?>> settings = new LinkedHashMap<>();
            try {
                for (Setting<?> s : entry.factory.settings()) {
                    settings.put(s.name(), s);
                }
            } catch (RuntimeException | LinkageError e) {
                problems.cause(e);
                problems.at(entry.where(), entry.type + ": " + entry.factory.getClass().getName()
                        + ".settings() failed: " + e + "; this is a bug in the plugin, report it to its authors");
                return;
            }
            Map<String, Object> values = new LinkedHashMap<>();
            boolean ok = true;
            for (Map.Entry<String, NodeTuple> e : entry.options.entrySet()) {
                Setting<?> setting = settings.get(e.getKey());
                if (setting == null) {
                    problems.at(e.getValue().getKeyNode(), unknownOption(entry, e.getKey(), settings.keySet()));
                    ok = false;
                    continue;
                }
                Object value = SettingValues.convert(setting, setting.name(), e.getValue().getValueNode(), problems);
                if (value == null) {
                    ok = false;
                } else {
                    values.put(setting.name(), value);
                }
            }
            for (Setting<?> setting : settings.values()) {
                if (setting.isRequired() && !entry.options.containsKey(setting.name())) {
                    problems.at(entry.where(), "missing required option \"" + setting.name() + "\" for "
                            + entry.type + " (" + setting.description() + ")");
                    ok = false;
                }
            }
            if (ok && entry.id != null) {
                entry.config = new EntryConfig(entry.type, entry.id, values);
            }
        }

        private String unknownOption(Entry entry, String option, Set<String> valid) {
            if (valid.isEmpty()) {
                return "unknown option " + quote(option) + "; " + entry.type + " takes no options besides type and id";
            }
            return "unknown option " + quote(option) + " for " + entry.type + "; valid options are: "
                    + String.join(", ", valid) + ClosestName.suggestion(option, valid);
        }

        /**
         * The state directory and file and the parse-error log's directory: laurel running as
         * root must not read a state another account could forge, nor write where another account
         * could plant a link (see {@link OutputFiles}). Checked, never created, so that a dry run
         * leaves no trace.
         */
        private void checkOutputPlaces() {
            OutputFiles files = new OutputFiles(user);
            if (state != null) {
                List<String> untrusted = files.directoryProblems(state);
                if (untrusted.isEmpty()) {
                    try {
                        files.checkPrivateFile(state.resolve(StateFile.NAME));
                    } catch (OutputFiles.Refused e) {
                        untrusted = List.of(e.getMessage());
                    }
                }
                for (String problem : untrusted) {
                    problems.at(stateNode, "state: refusing the state directory, as laurel would restore "
                            + "what another account wrote there: " + problem);
                }
            }
            if (parseErrorLog != null) {
                // A start opens it right after loading; a dry run checks all that open would.
                List<String> untrusted = dryRun ? files.appendProblems(parseErrorLog)
                        : files.directoryProblems(parseErrorLog.toAbsolutePath().getParent());
                for (String problem : untrusted) {
                    problems.at(parseErrorLogNode, "diagnostics.parse-error-log: cannot open " + parseErrorLog
                            + " for appending: " + problem);
                }
            }
        }

        private void checkIds() {
            Map<String, Entry> byId = new LinkedHashMap<>();
            List<Entry> all = new ArrayList<>(enrichers);
            all.addAll(sinks);
            for (Entry entry : all) {
                if (entry.id == null) {
                    continue;
                }
                Entry first = byId.putIfAbsent(entry.id, entry);
                if (first == null) {
                    continue;
                }
                String firstAt = position(first.idNode != null ? first.idNode : first.where());
                if (entry.idNode != null) {
                    problems.at(entry.idNode, "duplicate id " + quote(entry.id) + ": " + first.label() + " at "
                            + firstAt + " already has it; ids must be unique in the file");
                } else {
                    problems.at(entry.where(), "id " + quote(entry.id) + " is already used by " + first.label()
                            + " at " + firstAt + "; an entry's id defaults to its type, so give one of them"
                            + " a distinct \"id:\"");
                }
            }
        }

        private void checkRequires() {
            List<Entry> chain = new ArrayList<>();
            for (Entry e : enrichers) {
                if (e.factory != null) {
                    chain.add(e);
                }
            }
            for (Entry e : sinks) {
                if (e.factory != null) {
                    chain.add(e);
                }
            }
            for (int i = 0; i < chain.size(); i++) {
                Entry entry = chain.get(i);
                List<String> required;
                try {
                    required = entry.factory.requires();
                } catch (RuntimeException | LinkageError e) {
                    problems.cause(e);
                    problems.at(entry.where(), entry.type + ": " + entry.factory.getClass().getName()
                            + ".requires() failed: " + e + "; this is a bug in the plugin, report it to its authors");
                    continue;
                }
                for (String type : required) {
                    int at = indexOfType(chain, type);
                    if (at >= 0 && at < i) {
                        continue;
                    }
                    String head = entry.type + " (" + entry.label() + ") requires " + type + " before it, but ";
                    if (at > i) {
                        Entry later = chain.get(at);
                        problems.at(entry.where(), head + type + " is " + later.label() + " at "
                                + position(later.where()) + "; move " + type + " above " + entry.type);
                    } else if (registry.enrichers().containsKey(type) || registry.sinks().containsKey(type)) {
                        problems.at(entry.where(), head + "there is no " + type + " entry; add \"- type: " + type
                                + "\" above it");
                    } else {
                        problems.at(entry.where(), head + "no plugin of type " + type + " is installed; add the"
                                + " plugin that provides it");
                    }
                }
            }
        }

        private static int indexOfType(List<Entry> chain, String type) {
            for (int i = 0; i < chain.size(); i++) {
                if (type.equals(chain.get(i).type)) {
                    return i;
                }
            }
            return -1;
        }

        /** " (JAR)" for a third-party plugin, so that the admin knows which jar to remove. */
        private String jarOf(String type) {
            String origin = registry.origin(type);
            return origin == null || origin.equals(PluginRegistry.BUILT_IN) ? "" : " (" + origin + ")";
        }

        private <P extends AutoCloseable> List<LoadedConfig.Created<P>> create(List<Entry> entries, Class<P> kind) {
            List<LoadedConfig.Created<P>> created = new ArrayList<>();
            for (Entry entry : entries) {
                if (entry.config == null) {
                    continue;
                }
                P plugin = create(entry, kind);
                if (plugin != null) {
                    created.add(new LoadedConfig.Created<>(entry.id, entry.type, plugin));
                }
            }
            return created;
        }

        private <P extends AutoCloseable> P create(Entry entry, Class<P> kind) {
            String factoryName = entry.factory.getClass().getName();
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            // Libraries inside a plugin look for their resources through the context class loader.
            thread.setContextClassLoader(entry.factory.getClass().getClassLoader());
            try {
                Object plugin = entry.factory.create(entry.config, new EnginePluginContext(entry.id, InstantSource.system(), processes,
                        user, dryRun));
                if (plugin == null) {
                    problems.at(entry.where(), entry.type + ": " + factoryName + ".create returned null;"
                            + " this is a bug in the plugin, report it to its authors");
                    return null;
                }
                return kind.cast(plugin);
            } catch (ConfigException e) {
                for (ConfigException.Problem p : e.problems()) {
                    NodeTuple option = p.setting() == null ? null : entry.options.get(p.setting());
                    problems.at(option != null ? option.getValueNode() : entry.where(),
                            (p.setting() == null ? "" : p.setting() + ": ") + p.message());
                }
            } catch (RuntimeException | LinkageError e) {
                problems.cause(e);
                problems.at(entry.where(), entry.type + ": " + factoryName + ".create failed: " + e
                        + "; this is a bug in the plugin" + jarOf(entry.type) + ", report it to its authors");
            } finally {
                thread.setContextClassLoader(previous);
            }
            return null;
        }
    }
}
