package dev.laurel.engine.config;

import dev.laurel.api.ConfigException;
import dev.laurel.api.Enricher;
import dev.laurel.api.Format;
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
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.reader.UnicodeReader;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
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

    static final List<String> TOP_LEVEL_KEYS = topLevelKeys();

    private static final String ENRICHER = "enricher";
    private static final String SINK = "sink";
    private static final String FORMAT = "format";

    /**
     * The engine's option on every sink entry that names its output format: {@code format: ecs},
     * or {@code format: {type: ecs, OPTION: VALUE}} with the format's options; {@code laurel} by default.
     */
    static final String FORMAT_KEY = "format";

    /** The engine's own option on every sink entry, reserved beside {@code type} and {@code id}. */
    static final String EVENTS_KEY = "events";
    private static final Setting<String> EVENTS = Setting.choice(EVENTS_KEY,
            "which events the sink takes: kept (default), filtered (only those an enricher dropped) or all",
            "kept", "filtered", "all");

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

    private static List<String> topLevelKeys() {
        List<String> keys = new ArrayList<>(EngineSettings.TOP.names());
        EngineSettings.SECTIONS.stream().skip(1).forEach(section -> keys.add(section.name()));
        keys.add("enrichers");
        keys.add("sinks");
        return List.copyOf(keys);
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
        /** A sink's {@code format:}, read as an entry of its own; null for the laurel format. */
        Entry format;

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

        /** The engine's settings the file sets; a null value is a path or text set to nothing. */
        private final Map<Setting<?>, Object> engineValues = new HashMap<>();
        /** Where the file sets each engine setting, for problems found after reading (trust checks). */
        private final Map<Setting<?>, Node> engineNodes = new HashMap<>();
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
            List<LoadedConfig.Created<Format>> createdFormats = new ArrayList<>();
            Map<String, Format> sinkFormats = createFormats(createdFormats);
            List<LoadedConfig.Created<Sink>> createdSinks = create(sinks, Sink.class);
            Map<String, Pipeline.Route> routes = new LinkedHashMap<>();
            for (Entry entry : sinks) {
                if (entry.id != null) {
                    routes.putIfAbsent(entry.id, entry.route);
                }
            }
            LoadedConfig config = new LoadedConfig(file, engineValues, createdEnrichers, createdSinks, routes,
                    createdFormats, sinkFormats);
            if (!problems.isEmpty()) {
                config.close();
                throw problems.toException();
            }
            return config;
        }

        private void readTopLevel(Node root) {
            if (!(root instanceof MappingNode mapping)) {
                problems.at(root, "expected a mapping of settings such as \"input:\" and \"sinks:\", found "
                        + describe(root));
                return;
            }
            Map<String, NodeTuple> entries = YamlNodes.entries(mapping, problems);
            for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
                Node value = e.getValue().getValueNode();
                switch (e.getKey()) {
                    case "enrichers" -> readChain(ENRICHER, "enrichers", value, enrichers);
                    case "sinks" -> readChain(SINK, "sinks", value, sinks);
                    default -> {
                        if (!TOP_LEVEL_KEYS.contains(e.getKey())) {
                            unknownKey(e.getValue().getKeyNode(), e.getKey(), null, TOP_LEVEL_KEYS);
                        }
                    }
                }
            }
            readSettings(EngineSettings.TOP, entries);
            for (EngineSettings.Section section : EngineSettings.SECTIONS.subList(1, EngineSettings.SECTIONS.size())) {
                NodeTuple tuple = entries.get(section.name());
                if (tuple != null) {
                    readSettings(section, section(section, tuple.getValueNode()));
                }
            }
        }

        private void unknownKey(Node at, String key, String section, List<String> known) {
            problems.at(at, "unknown key " + quote(key) + (section == null ? "" : " in " + section)
                    + "; valid keys" + (section == null ? "" : " in " + section) + " are: " + String.join(", ", known)
                    + ClosestName.suggestion(key, known));
        }

        /** The engine settings of {@code section} that {@code entries} sets, checked like a plugin's options. */
        private void readSettings(EngineSettings.Section section, Map<String, NodeTuple> entries) {
            for (Setting<?> setting : section.settings()) {
                NodeTuple tuple = entries.get(setting.name());
                if (tuple == null) {
                    continue;
                }
                Node node = tuple.getValueNode();
                String key = section.key(setting);
                engineNodes.put(setting, node);
                if (section == EngineSettings.TOP && setting != EngineSettings.INPUT && isNull(node)) {
                    engineValues.put(setting, null);   // "state:" with nothing: as if none
                    continue;
                }
                Object value = setting == EngineSettings.USER
                        // The same reading as the launcher's (ConfigFile.account), so both agree on the account.
                        ? ConfigFile.account(node, problems)
                        : SettingValues.convert(setting, key, EngineSettings.expected(setting), node, problems);
                if (value instanceof String text && setting != EngineSettings.USER) {
                    value = checkText(setting, key, node, text);
                }
                if (value != null) {
                    engineValues.put(setting, value);
                }
            }
        }

        /** The checks of the engine's text settings beyond being text: paths, the socket, the marker. */
        private String checkText(Setting<?> setting, String key, Node node, String text) {
            if (!EngineSettings.hasForm(setting, text)) {
                problems.at(node, key + ": expected " + EngineSettings.expected(setting) + ", found " + describe(node));
                return null;
            }
            if (setting == EngineSettings.INPUT && text.equals("unix:")) {
                problems.at(node, key + ": \"unix:\" needs the socket's path, e.g. unix:/var/run/laurel.sock");
                return null;
            }
            String path = EngineSettings.pathIn(setting, text);
            return path == null || validPath(key, node, path) ? text : null;
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

        private Map<String, NodeTuple> section(EngineSettings.Section section, Node node) {
            String name = section.name();
            List<String> keys = section.names();
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
            NodeTuple formatTuple = entry.kind.equals(SINK) ? options.remove(FORMAT_KEY) : null;
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
            if (formatTuple != null) {
                entry.format = readFormat(entry, formatTuple.getValueNode());
            }
        }

        /**
         * A sink's {@code format:}: a name, or a mapping with {@code type:} and the format's
         * options, checked like a plugin entry's. Null for the laurel format without options, or
         * when there are problems (reported).
         */
        private Entry readFormat(Entry sink, Node node) {
            Entry format;
            Node typeNode;
            if (node instanceof MappingNode mapping) {
                format = new Entry(FORMAT, sink.number, mapping);
                Map<String, NodeTuple> options = YamlNodes.entries(mapping, problems);
                NodeTuple typeTuple = options.remove("type");
                format.options = options;
                if (typeTuple == null) {
                    problems.at(node, "format: has no type; write \"format: NAME\" or add \"type: NAME\" under it ("
                            + availableFormats() + ")");
                    return null;
                }
                format.typeKey = typeTuple.getKeyNode();
                typeNode = typeTuple.getValueNode();
            } else {
                format = new Entry(FORMAT, sink.number, null);
                typeNode = node;
                format.typeKey = node;
            }
            format.type = text(typeNode);
            if (format.type == null || format.type.isEmpty()) {
                problems.at(typeNode, "format: expected the name of an output format, found " + describe(typeNode)
                        + " (" + availableFormats() + ")");
                return null;
            }
            format.factory = registry.formats().get(format.type);
            if (format.factory == null) {
                problems.at(typeNode, "unknown format " + quote(format.type) + "; " + availableFormats()
                        + ClosestName.suggestion(format.type, registry.formats().keySet()) + ownOption(sink, format.type));
                return null;
            }
            format.id = sink.id != null ? sink.id : sink.type;
            readOptions(format);
            return format;
        }

        /**
         * For a {@code format:} value that one of the sink's own options takes ({@code rfc5424}: the
         * syslog sink called its header option {@code format} before output formats were plugins),
         * where to write it instead.
         */
        private String ownOption(Entry sink, String value) {
            if (sink.factory == null) {
                return "";
            }
            try {
                for (Setting<?> s : sink.factory.settings()) {
                    if (s.choices().contains(value)) {
                        return "; format: is the output format of every sink; for " + sink.type + "'s "
                                + s.name() + " write \"" + s.name() + ": " + value + "\"";
                    }
                }
            } catch (RuntimeException | LinkageError e) {
                // settings() failing is reported where the options are read
            }
            return "";
        }

        private String availableFormats() {
            return registry.formats().isEmpty() ? "no output formats are installed"
                    : "available formats: " + String.join(", ", registry.formats().keySet());
        }

        /**
         * Creates each sink's format (in {@code created}, for closing) and returns them by sink id:
         * sinks whose formats have the same type and options share one, so that an event is
         * encoded once per format in use. A sink without {@code format:} is not in the map (laurel).
         */
        private Map<String, Format> createFormats(List<LoadedConfig.Created<Format>> created) {
            Map<String, Format> bySink = new LinkedHashMap<>();
            Map<List<Object>, Format> shared = new HashMap<>();
            for (Entry sink : sinks) {
                Entry format = sink.format;
                if (format == null || format.config == null || sink.id == null) {
                    continue;
                }
                List<Object> key = List.of(format.type, format.config.values());
                Format f = shared.get(key);
                if (f == null) {
                    f = create(format, Format.class);
                    if (f == null) {
                        continue;
                    }
                    shared.put(key, f);
                    created.add(new LoadedConfig.Created<>(sink.id + "/format", format.type, f));
                }
                bySink.putIfAbsent(sink.id, f);
            }
            return bySink;
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
                if (setting == null && e.getKey().equals(EngineSettings.PROC_ROOT.name())) {
                    // Plugins declared proc-root each until 1.0; it is the top-level key now.
                    String value = text(e.getValue().getValueNode());
                    problems.at(e.getValue().getKeyNode(), "proc-root is set once, at the top of the file, for"
                            + " laurel and every plugin; move " + (value == null ? "it" : quote("proc-root: " + value))
                            + " there (above " + plural(entry.kind) + ":) and remove it from this entry");
                    ok = false;
                    continue;
                }
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

        /** The config's {@code user:}, or null. */
        private String user() {
            return (String) engineValues.get(EngineSettings.USER);
        }

        /**
         * The state directory and file and the parse-error log's directory: laurel running as
         * root must not read a state another account could forge, nor write where another account
         * could plant a link (see {@link OutputFiles}). Checked, never created, so that a dry run
         * leaves no trace.
         */
        private void checkOutputPlaces() {
            OutputFiles files = new OutputFiles(user());
            Path state = EngineSettings.path(engineValues, EngineSettings.STATE);
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
                    problems.at(engineNodes.get(EngineSettings.STATE), "state: refusing the state directory, as laurel "
                            + "would restore what another account wrote there: " + problem);
                }
            }
            Path parseErrorLog = EngineSettings.path(engineValues, EngineSettings.PARSE_ERROR_LOG);
            if (parseErrorLog != null) {
                // A start opens it right after loading; a dry run checks all that open would.
                List<String> untrusted = dryRun ? files.appendProblems(parseErrorLog)
                        : files.directoryProblems(parseErrorLog.toAbsolutePath().getParent());
                for (String problem : untrusted) {
                    problems.at(engineNodes.get(EngineSettings.PARSE_ERROR_LOG), "diagnostics.parse-error-log: cannot open "
                            + parseErrorLog + " for appending: " + problem);
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
                Object plugin = entry.factory.create(entry.config, new EnginePluginContext(entry.id,
                        InstantSource.system(), processes, EngineSettings.path(engineValues, EngineSettings.PROC_ROOT),
                        user(), dryRun));
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
