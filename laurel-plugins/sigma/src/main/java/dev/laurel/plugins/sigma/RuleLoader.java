package dev.laurel.plugins.sigma;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * Reads Sigma rule files (one rule per YAML document) into {@link SigmaRule}s. A file that is not
 * YAML, or a rule that is not valid Sigma, is an error with FILE:LINE:COLUMN; a valid rule using
 * something laurel does not run (a correlation rule, an unknown modifier, a log source laurel's
 * events do not give) is skipped whole, with the file, line and construct, never loaded half-understood.
 */
final class RuleLoader {

    /** A rule not loaded, and why. */
    record Skipped(String file, int line, String title, String reason) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + (title == null ? "" : "'" + title + "': ") + reason;
        }
    }

    /**
     * What stops a rule from loading, at a place in its file: a rule that is not valid Sigma
     * ({@code unsupported} false: a config error), or a valid one using something laurel does not
     * run (true: the rule is skipped).
     */
    private static final class RuleProblem extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Mark mark;
        final boolean unsupported;

        RuleProblem(Node at, String message, boolean unsupported) {
            super(message);
            this.mark = at.getStartMark();
            this.unsupported = unsupported;
        }
    }

    private static RuleProblem invalid(Node at, String message) {
        return new RuleProblem(at, message, false);
    }

    private static RuleProblem unsupported(Node at, String construct) {
        return new RuleProblem(at, construct, true);
    }

    /**
     * The most matchers one value of a rule may become (windash makes five forms for each dash,
     * base64offset three, a placeholder one for each of its values): 5 dashes under windash give
     * 3,125, and 20 would give more than any heap holds.
     */
    static final int MAX_FORMS = 4096;

    static final Set<String> LOG_SOURCES = Set.of("auditd", "process_creation", "file_event", "network_connection");
    private static final Set<String> TIME_MODIFIERS = Set.of("minute", "hour", "day", "week", "month", "year");

    private static final LoaderOptions YAML_OPTIONS = new LoaderOptions();

    static {
        YAML_OPTIONS.setMaxAliasesForCollections(50);
    }

    private final Resolver resolver = new Resolver();
    private final Map<String, List<String>> placeholders;
    private final Set<String> statuses;
    private final SigmaRule.Level minLevel;
    final List<SigmaRule> rules = new ArrayList<>();
    final List<Skipped> skipped = new ArrayList<>();
    /** Rules left out by {@code statuses} or {@code min-level}: counted, not warned about. */
    int filtered;
    final List<String> errors = new ArrayList<>();

    RuleLoader(Map<String, List<String>> placeholders, Set<String> statuses, SigmaRule.Level minLevel) {
        this.placeholders = placeholders;
        this.statuses = statuses;
        this.minLevel = minLevel;
    }

    /** Loads a rule file, or every {@code .yml}/{@code .yaml} file under a directory, by name. */
    void load(Path path) {
        if (Files.isDirectory(path)) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(path)) {
                files = s.filter(Files::isRegularFile)
                        .filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
                        .sorted().toList();
            } catch (IOException | java.io.UncheckedIOException e) {
                errors.add(path + ": cannot list the rule directory: " + e.getMessage());
                return;
            }
            if (files.isEmpty()) {
                errors.add(path + ": holds no .yml or .yaml rule files");
            }
            files.forEach(this::loadFile);
        } else if (Files.isRegularFile(path)) {
            loadFile(path);
        } else {
            errors.add(path + ": no such rule file or directory; give a .yml file or a directory of them");
        }
    }

    private void loadFile(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            // the composer alone (as Yaml.composeAll uses it): no Yaml object, its constructors
            // and representers, per file
            StreamReader stream = new StreamReader(in);
            Composer documents = new Composer(new ParserImpl(stream, YAML_OPTIONS), resolver, YAML_OPTIONS);
            Node doc;
            while ((doc = nextDocument(documents, stream)) != null) {
                loadRule(file.toString(), doc);
            }
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            errors.add(at(file.toString(), m) + "is not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            errors.add(file + ": is not valid YAML: " + e.getMessage());
        } catch (IOException e) {
            errors.add(file + ": cannot be read: " + e.getMessage());
        }
    }

    /**
     * The next non-empty document, or null at the end. SnakeYAML's own slips on malformed text
     * (2.5: a NumberFormatException for a backslash-x escape cut short by the end of the file)
     * become invalid YAML at the place it was reading, as the rule file's problem, not the plugin's.
     */
    private static Node nextDocument(Composer documents, StreamReader stream) {
        try {
            while (documents.checkNode()) {
                Node doc = documents.getNode();
                if (doc != null) {
                    return doc;
                }
            }
            return null;
        } catch (YAMLException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MarkedYAMLException(null, null, "the YAML reader stopped here (" + e + "); look for an"
                    + " unfinished quote or escape sequence at or before this place", stream.getMark()) { };
        }
    }

    private static long pow5(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 5;
        }
        return p;
    }

    private static String at(String file, Mark m) {
        return m == null ? file + ": " : file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1) + ": ";
    }

    private void loadRule(String file, Node doc) {
        String title = null;
        try {
            if (!(doc instanceof MappingNode root)) {
                throw invalid(doc, "a Sigma rule is a mapping with title, logsource and detection");
            }
            Map<String, NodeTuple> keys = keys(root);
            NodeTuple t = keys.get("title");
            title = t == null ? null : scalar(t.getValueNode(), "title");
            if (keys.containsKey("correlation")) {
                throw unsupported(keys.get("correlation").getKeyNode(), "correlation rule");
            }
            if (keys.containsKey("filter") && !keys.containsKey("detection")) {
                throw unsupported(keys.get("filter").getKeyNode(), "Sigma filter (meta rule)");
            }
            if (keys.containsKey("action")) {
                throw unsupported(keys.get("action").getKeyNode(), "rule collection action '"
                        + scalar(keys.get("action").getValueNode(), "action") + "'");
            }
            if (title == null) {
                throw invalid(root, "the rule has no title");
            }
            String id = optional(keys, "id");
            String status = optional(keys, "status");
            String levelWord = optional(keys, "level");
            SigmaRule.Level level = SigmaRule.Level.INFORMATIONAL;
            if (levelWord != null) {
                level = SigmaRule.Level.of(levelWord);
                if (level == null) {
                    throw invalid(keys.get("level").getValueNode(), "level '" + levelWord
                            + "' is not one of informational, low, medium, high, critical");
                }
            }
            List<String> tags = new ArrayList<>();
            if (keys.containsKey("tags")) {
                Node tn = keys.get("tags").getValueNode();
                if (!(tn instanceof SequenceNode seq)) {
                    throw invalid(tn, "tags must be a list");
                }
                for (Node n : seq.getValue()) {
                    tags.add(text(n, "a tag"));
                }
            }
            NodeTuple ls = keys.get("logsource");
            if (ls == null) {
                throw invalid(root, "the rule has no logsource");
            }
            NodeTuple det = keys.get("detection");
            if (det == null) {
                throw invalid(root, "the rule has no detection");
            }
            String logSource = logSource(ls.getValueNode());
            Detection detection = detection(det.getValueNode());
            int line = doc.getStartMark().getLine() + 1;
            if (status != null && !statuses.contains(status) || level.compareTo(minLevel) < 0) {
                filtered++;
                return;
            }
            rules.add(new SigmaRule(rules.size(), file, line, id, title, status, level, List.copyOf(tags),
                    logSource, detection));
        } catch (RuleProblem e) {
            if (e.unsupported) {
                skipped.add(new Skipped(file, e.mark.getLine() + 1, title, e.getMessage()));
            } else {
                errors.add(at(file, e.mark) + (title == null ? "" : "rule '" + title + "': ") + e.getMessage());
            }
        }
    }

    private static Map<String, NodeTuple> keys(MappingNode m) throws RuleProblem {
        Map<String, NodeTuple> keys = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (keys.put(scalar(t.getKeyNode(), "a key"), t) != null) {
                throw duplicate(t);
            }
        }
        return keys;
    }

    /** The node API does not refuse a key given twice, which YAML forbids and a loader would silently drop. */
    private static RuleProblem duplicate(NodeTuple t) {
        return invalid(t.getKeyNode(), "duplicate key '" + ((ScalarNode) t.getKeyNode()).getValue()
                + "' (a mapping names each key once; for two tests of one field write two selections)");
    }

    private static String scalar(Node n, String what) throws RuleProblem {
        if (!(n instanceof ScalarNode s)) {
            throw invalid(n, what + " must be a single value");
        }
        return s.getTag().equals(Tag.NULL) ? null : s.getValue();
    }

    /** A scalar that must have a value: null ({@code ~} or nothing) is the rule's error. */
    private static String text(Node n, String what) throws RuleProblem {
        String text = scalar(n, what);
        if (text == null) {
            throw invalid(n, what + " must not be empty");
        }
        return text;
    }

    private static String optional(Map<String, NodeTuple> keys, String key) throws RuleProblem {
        NodeTuple t = keys.get(key);
        return t == null ? null : scalar(t.getValueNode(), key);
    }

    private static String logSource(Node n) throws RuleProblem {
        if (!(n instanceof MappingNode m)) {
            throw invalid(n, "logsource must be a mapping of product, category, service");
        }
        Map<String, NodeTuple> keys = keys(m);
        String product = optional(keys, "product");
        String category = optional(keys, "category");
        String service = optional(keys, "service");
        if (product != null && !product.equals("linux")) {
            throw unsupported(keys.get("product").getValueNode(), "log source product '" + product
                    + "' (laurel's events are product: linux)");
        }
        if (service != null) {
            if (!service.equals("auditd") || category != null) {
                throw unsupported(keys.get("service").getValueNode(), "log source service '" + service
                        + (category == null ? "" : "' with category '" + category) + "' (laurel maps service: auditd)");
            }
            return "auditd";
        }
        if (category == null || !LOG_SOURCES.contains(category)) {
            throw unsupported(n, "log source " + (category == null ? "without category or service"
                    : "category '" + category + "'") + " (laurel maps service: auditd and the categories"
                    + " process_creation, file_event, network_connection)");
        }
        return category;
    }

    private Detection detection(Node n) throws RuleProblem {
        if (!(n instanceof MappingNode m)) {
            throw invalid(n, "detection must be a mapping of search identifiers and a condition");
        }
        Map<String, Detection.Selection> selections = new LinkedHashMap<>();
        keys(m);
        Node condition = null;
        for (NodeTuple t : m.getValue()) {
            String name = text(t.getKeyNode(), "a search identifier");
            if (name.equals("condition")) {
                condition = t.getValueNode();
            } else if (name.equals("timeframe")) {
                throw unsupported(t.getKeyNode(), "timeframe (aggregation over time)");
            } else {
                selections.put(name, selection(name, t.getValueNode()));
            }
        }
        if (condition == null) {
            throw invalid(n, "the detection has no condition");
        }
        List<Node> conditions = condition instanceof SequenceNode seq ? seq.getValue() : List.of(condition);
        List<Detection> parts = new ArrayList<>();
        for (Node c : conditions) {
            String text = scalar(c, "condition");
            try {
                parts.add(new ConditionParser(text == null ? "" : text, selections).parse());
            } catch (ConditionParser.ConditionException e) {
                throw new RuleProblem(c, e.getMessage(), e.unsupported);
            }
        }
        return parts.size() == 1 ? parts.get(0) : new Detection.Or(parts);
    }

    private Detection.Selection selection(String name, Node n) throws RuleProblem {
        List<List<Detection.FieldTest>> maps = new ArrayList<>();
        if (n instanceof MappingNode m) {
            maps.add(map(m));
        } else if (n instanceof SequenceNode seq) {
            List<Node> keywords = new ArrayList<>();
            for (Node item : seq.getValue()) {
                if (item instanceof MappingNode m) {
                    maps.add(map(m));
                } else if (item instanceof ScalarNode) {
                    keywords.add(item);
                } else {
                    throw invalid(item, "a list in a search identifier holds values or field maps, not lists");
                }
            }
            if (!keywords.isEmpty() && !maps.isEmpty()) {
                throw invalid(n, "search identifier '" + name + "' mixes keywords and field maps in one list");
            }
            if (!keywords.isEmpty()) {
                maps.add(List.of(test(null, List.of(), keywords, n)));
            }
        } else {
            maps.add(List.of(test(null, List.of(), List.of(n), n)));
        }
        return new Detection.Selection(name, maps);
    }

    private List<Detection.FieldTest> map(MappingNode m) throws RuleProblem {
        List<Detection.FieldTest> tests = new ArrayList<>();
        keys(m);
        for (NodeTuple t : m.getValue()) {
            String key = text(t.getKeyNode(), "a field name");
            String[] parts = key.split("\\|", -1);
            String field = parts[0].isEmpty() ? null : parts[0].intern();   // found by reference in records and caches
            List<String> modifiers = List.of(parts).subList(1, parts.length);
            Node v = t.getValueNode();
            List<Node> values;
            if (v instanceof SequenceNode seq) {
                values = seq.getValue();
            } else if (v instanceof ScalarNode) {
                values = List.of(v);
            } else {
                throw invalid(v, "the value of " + key + " must be a value or a list of values");
            }
            for (Node value : values) {
                if (!(value instanceof ScalarNode)) {
                    throw invalid(value, "the values of " + key + " must be single values");
                }
            }
            tests.add(test(field, modifiers, values, t.getKeyNode()));
        }
        return tests;
    }

    /** One field's test; a keyword search when {@code field} is null. */
    private Detection.FieldTest test(String field, List<String> modifiers, List<Node> values, Node at)
            throws RuleProblem {
        boolean all = false;
        boolean cased = false;
        boolean neq = false;
        Boolean exists = null;
        String compare = null;
        String regexFlags = null;
        boolean cidr = false;
        boolean fieldref = false;
        boolean expand = false;
        List<String> transforms = new ArrayList<>();
        for (int i = 0; i < modifiers.size(); i++) {
            String mod = modifiers.get(i);
            switch (mod) {
                case "all" -> all = true;
                case "cased" -> cased = true;
                case "neq" -> neq = true;
                case "exists" -> exists = Boolean.TRUE;
                case "lt", "lte", "gt", "gte" -> compare = mod;
                case "re" -> regexFlags = "";
                case "i", "m", "s" -> {
                    if (regexFlags == null) {
                        throw invalid(at, "modifier '" + mod + "' only follows 're'");
                    }
                    regexFlags += mod;
                }
                case "cidr" -> cidr = true;
                case "fieldref" -> fieldref = true;
                case "expand" -> expand = true;
                case "contains", "startswith", "endswith", "base64", "base64offset", "utf16le", "utf16be",
                     "utf16", "wide", "windash" -> transforms.add(mod);
                default -> throw unsupported(at, TIME_MODIFIERS.contains(mod)
                        ? "time modifier '" + mod + "' (laurel's fields hold no dates)"
                        : "unknown modifier '" + mod + "' in '" + (field == null ? "" : field) + "|"
                        + String.join("|", modifiers) + "'");
            }
        }
        if (exists != null) {
            if (values.size() != 1 || !(values.get(0) instanceof ScalarNode s) || !s.getTag().equals(Tag.BOOL)) {
                throw invalid(at, "'exists' takes true or false");
            }
            exists = Boolean.parseBoolean(((ScalarNode) values.get(0)).getValue());
            return new Detection.FieldTest(field, new ValueMatcher[0][], false, false, exists, null);
        }
        List<ValueMatcher[]> compiled = new ArrayList<>();
        boolean plainTypes = field != null && field.equals("type") && modifiers.isEmpty();
        Set<String> types = plainTypes ? new java.util.HashSet<>() : null;
        for (Node vn : values) {
            String value = scalar(vn, "a value");
            if (value == null) {
                compiled.add(new ValueMatcher[] {new ValueMatcher.Null()});
                types = null;
                continue;
            }
            List<ValueMatcher> forms = new ArrayList<>();
            if (regexFlags != null) {
                int flags = 0;
                for (char f : regexFlags.toCharArray()) {
                    flags |= f == 'i' ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE
                            : f == 'm' ? Pattern.MULTILINE : Pattern.DOTALL;
                }
                try {
                    forms.add(new ValueMatcher.Regex(Pattern.compile(value, flags)));
                } catch (PatternSyntaxException e) {
                    throw invalid(vn, "is not a valid regular expression: " + e.getDescription() + " in " + value);
                }
            } else if (cidr) {
                try {
                    forms.add(ValueMatcher.Cidr.parse(value));
                } catch (IllegalArgumentException e) {
                    throw invalid(vn, "'" + value + "' " + e.getMessage());
                }
            } else if (compare != null) {
                try {
                    forms.add(new ValueMatcher.Compare(compare, Double.parseDouble(value)));
                } catch (NumberFormatException e) {
                    throw invalid(vn, "'" + compare + "' takes a number, not '" + value + "'");
                }
            } else if (fieldref) {
                ValueMatcher.Position p = ValueMatcher.Position.EXACT;
                for (String tr : transforms) {
                    p = switch (tr) {
                        case "contains" -> ValueMatcher.Position.CONTAINS;
                        case "startswith" -> ValueMatcher.Position.PREFIX;
                        case "endswith" -> ValueMatcher.Position.SUFFIX;
                        default -> throw unsupported(at, "modifier '" + tr + "' with fieldref");
                    };
                }
                forms.add(new ValueMatcher.FieldRef(value.intern(), p, cased));
            } else {
                for (String expanded : expand ? expand(value, vn) : List.of(value)) {
                    List<SigmaString> strings = List.of(SigmaString.parse(expanded));
                    if (field == null && transforms.isEmpty()) {
                        strings = List.of(strings.get(0).contains());   // keywords are found anywhere
                    }
                    for (String tr : transforms) {
                        strings = transform(strings, tr, vn);
                    }
                    for (SigmaString s : strings) {
                        forms.add(s.compile(cased));
                    }
                    if (forms.size() > MAX_FORMS) {
                        throw unsupported(vn, "the value '" + value + "' with its placeholders and modifiers makes "
                                + forms.size() + "+ forms, more than the " + MAX_FORMS + " a value may have");
                    }
                }
            }
            compiled.add(forms.toArray(new ValueMatcher[0]));
            if (types != null) {
                // record type names are upper case; a rule may write type: 'execve'
                if (SigmaString.parse(value).hasWildcards()) {
                    types = null;
                } else {
                    types.add(value.toUpperCase(java.util.Locale.ROOT));
                }
            }
        }
        if (all && values.size() < 2) {
            throw invalid(at, "'all' needs a list of at least two values (Sigma forbids it on one value;"
                    + " write another selection instead)");
        }
        return new Detection.FieldTest(field, compiled.toArray(new ValueMatcher[0][]), all, neq, null,
                types == null ? null : Set.copyOf(types));
    }

    private static List<SigmaString> transform(List<SigmaString> strings, String modifier, Node at)
            throws RuleProblem {
        if (modifier.equals("windash")) {
            // five forms for each dash, multiplied: refused before they are made, and as soon as
            // the sum passes the bound (so that it cannot overflow)
            long forms = 0;
            for (SigmaString s : strings) {
                forms += s.dashes() >= 27 ? Long.MAX_VALUE / 2 : pow5(s.dashes());
                if (forms > MAX_FORMS) {
                    throw unsupported(at, "windash on " + strings.get(0) + (strings.size() > 1 ? " (in "
                            + strings.size() + " forms)" : "") + ": 5 forms for each of its dashes would make "
                            + (forms >= Long.MAX_VALUE / 2 ? "too many" : forms) + " forms, more than the "
                            + MAX_FORMS + " a value may have");
                }
            }
        }
        List<SigmaString> out = new ArrayList<>();
        for (SigmaString s : strings) {
            switch (modifier) {
                case "contains" -> out.add(s.contains());
                case "startswith" -> out.add(s.startsWith());
                case "endswith" -> out.add(s.endsWith());
                case "windash" -> out.addAll(s.windash());
                default -> {
                    if (s.hasWildcards()) {
                        throw unsupported(at, "modifier '" + modifier + "' on a value with wildcards ("
                                + s + "): the encoded wildcard would mean nothing");
                    }
                    switch (modifier) {
                        case "base64" -> out.add(s.base64());
                        case "base64offset" -> out.addAll(s.base64Offsets());
                        default -> out.add(s.utf16(modifier));
                    }
                }
            }
        }
        return out;
    }

    /** The values of {@code expand}: every {@code %name%} replaced by each of the config's values for it. */
    private List<String> expand(String value, Node at) throws RuleProblem {
        List<String> out = List.of("");
        int i = 0;
        StringBuilder literal = new StringBuilder();
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() && value.charAt(i + 1) == '%') {
                literal.append('%');
                i += 2;
            } else if (c == '%' && value.indexOf('%', i + 1) > i) {
                int end = value.indexOf('%', i + 1);
                String name = value.substring(i + 1, end);
                List<String> values = placeholders.get(name);
                if (values == null || values.isEmpty()) {
                    throw unsupported(at, "placeholder %" + name + "% has no values (set them under the"
                            + " sigma enricher's placeholders:)");
                }
                List<String> next = new ArrayList<>();
                String lit = literal.toString();
                for (String prefix : out) {
                    for (String v : values) {
                        next.add(prefix + lit + v);
                    }
                }
                out = next;
                literal.setLength(0);
                i = end + 1;
            } else {
                literal.append(c);
                i++;
            }
        }
        List<String> done = new ArrayList<>();
        for (String prefix : out) {
            done.add(prefix + literal);
        }
        return done;
    }
}
