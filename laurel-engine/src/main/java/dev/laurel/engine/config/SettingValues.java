package dev.laurel.engine.config;

import dev.laurel.api.Setting;
import dev.laurel.api.internal.SettingSyntax;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.laurel.engine.config.YamlNodes.describe;
import static dev.laurel.engine.config.YamlNodes.quote;
import static dev.laurel.engine.config.YamlNodes.text;

/** Converts YAML nodes to the Java values of {@link Setting}s, reporting what does not fit. */
final class SettingValues {
    /** What a converter returns when the node does not have the setting's form at all ("expected ..."). */
    private static final Object WRONG_FORM = new Object();
    /** The types whose converters report their own problems (an item of a list, a word of a choice). */
    private static final Set<Setting.Type> REPORTED_ITSELF =
            EnumSet.of(Setting.Type.STRING_LIST, Setting.Type.STRING_MAP, Setting.Type.CHOICE);

    private SettingValues() {
    }

    /** What a type's values look like, for "expected ...". */
    static String expected(Setting<?> setting) {
        return switch (setting.type()) {
            case STRING -> "text";
            case INTEGER -> "a whole number";
            case BOOLEAN -> "true or false";
            case STRING_LIST -> "a list of text";
            case STRING_MAP -> "a mapping of names to text";
            case CHOICE -> "one of " + String.join(", ", setting.choices());
            case DURATION -> "a duration such as 250ms, 3s, 5m or 1h";
            case BYTE_SIZE -> "a byte size such as 65536, 64KiB or 16MiB";
        };
    }

    /** A value as users write it, for listings and the reference: {@code 3s}, {@code 16MiB}, {@code [a, b]}. */
    static String format(Setting<?> setting, Object value) {
        return switch (setting.type()) {
            case DURATION -> SettingSyntax.format((Duration) value);
            case BYTE_SIZE -> SettingSyntax.formatByteSize((Long) value);
            default -> YamlNodes.render(value);
        };
    }

    /**
     * The value of {@code node} as {@code setting}'s Java type, checked; or null after reporting
     * the problem at the offending node. Messages start with {@code name}, e.g. {@code "size: ..."}.
     */
    static Object convert(Setting<?> setting, String name, Node node, Problems problems) {
        return convert(setting, name, expected(setting), node, problems);
    }

    /**
     * As {@link #convert(Setting, String, Node, Problems)}, saying {@code expected EXPECTED} where
     * the value does not have the setting's form at all.
     */
    static Object convert(Setting<?> setting, String name, String expected, Node node, Problems problems) {
        Object value = switch (setting.type()) {
            case STRING -> text(node);
            case INTEGER -> SettingSyntax.integer(text(node));
            case BOOLEAN -> bool(text(node));
            case STRING_LIST -> stringList(name, node, problems);
            case STRING_MAP -> stringMap(name, node, problems);
            case CHOICE -> choice(setting, name, node, problems);
            case DURATION -> SettingSyntax.duration(text(node));
            case BYTE_SIZE -> SettingSyntax.byteSize(text(node));
        };
        if (value == WRONG_FORM || value == null && !REPORTED_ITSELF.contains(setting.type())) {
            problems.at(node, name + ": expected " + expected + ", found " + describe(node));
            return null;
        }
        if (value == null) {
            return null;
        }
        String problem;
        try {
            problem = firstProblem(setting, value);
        } catch (RuntimeException e) {
            problems.cause(e);
            problem = "cannot be checked, the plugin's check failed with " + e;
        }
        if (problem != null) {
            // As written: "0ms" rather than the Duration it became.
            String got = node instanceof ScalarNode ? text(node) : YamlNodes.render(value);
            problems.at(node, name + ": " + problem + " (got " + got + ")");
            return null;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static <T> String firstProblem(Setting<T> setting, Object value) {
        return setting.firstProblem((T) value);
    }

    private static Boolean bool(String text) {
        if ("true".equalsIgnoreCase(text)) {
            return Boolean.TRUE;
        }
        return "false".equalsIgnoreCase(text) ? Boolean.FALSE : null;
    }

    private static Object stringList(String name, Node node, Problems problems) {
        if (node instanceof ScalarNode && text(node) != null) {
            return List.of(text(node));
        }
        if (!(node instanceof SequenceNode sequence)) {
            return WRONG_FORM;
        }
        List<String> items = new ArrayList<>(sequence.getValue().size());
        boolean ok = true;
        int index = 0;
        for (Node item : sequence.getValue()) {
            index++;
            String text = text(item);
            if (text == null) {
                problems.at(item, name + ": expected text as item " + index + ", found " + describe(item));
                ok = false;
            } else {
                items.add(text);
            }
        }
        return ok ? List.copyOf(items) : null;
    }

    private static Object stringMap(String name, Node node, Problems problems) {
        if (!(node instanceof MappingNode mapping)) {
            return WRONG_FORM;
        }
        Map<String, String> map = new LinkedHashMap<>();
        boolean ok = true;
        int before = problems.count();
        for (Map.Entry<String, NodeTuple> e : YamlNodes.entries(mapping, problems).entrySet()) {
            Node valueNode = e.getValue().getValueNode();
            String text = text(valueNode);
            if (text == null) {
                problems.at(valueNode, name + ": expected text as the value of " + quote(e.getKey())
                        + ", found " + describe(valueNode));
                ok = false;
            } else {
                map.put(e.getKey(), text);
            }
        }
        return ok && problems.count() == before ? Collections.unmodifiableMap(map) : null;
    }

    private static Object choice(Setting<?> setting, String name, Node node, Problems problems) {
        String text = text(node);
        if (text == null) {
            return WRONG_FORM;
        }
        if (!setting.choices().contains(text)) {
            problems.at(node, name + ": " + quote(text) + " is not one of " + String.join(", ", setting.choices())
                    + ClosestName.suggestion(text, setting.choices()));
            return null;
        }
        return text;
    }
}
