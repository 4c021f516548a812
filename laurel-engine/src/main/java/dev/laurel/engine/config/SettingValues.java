package dev.laurel.engine.config;

import dev.laurel.api.Setting;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.laurel.engine.config.YamlNodes.describe;
import static dev.laurel.engine.config.YamlNodes.quote;
import static dev.laurel.engine.config.YamlNodes.text;

/** Converts YAML nodes to the Java values of {@link Setting}s, reporting what does not fit. */
final class SettingValues {
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
        };
    }

    /**
     * The value of {@code node} as {@code setting}'s Java type, checked; or null after reporting
     * the problem at the offending node. Messages start with {@code name}, e.g. {@code "size: ..."}.
     */
    static Object convert(Setting<?> setting, String name, Node node, Problems problems) {
        Object value = switch (setting.type()) {
            case STRING -> string(setting, name, node, problems);
            case INTEGER -> integer(setting, name, node, problems);
            case BOOLEAN -> bool(setting, name, node, problems);
            case STRING_LIST -> stringList(setting, name, node, problems);
            case STRING_MAP -> stringMap(setting, name, node, problems);
            case CHOICE -> choice(setting, name, node, problems);
        };
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
            problems.at(node, name + ": " + problem + " (got " + YamlNodes.render(value) + ")");
            return null;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static <T> String firstProblem(Setting<T> setting, Object value) {
        return setting.firstProblem((T) value);
    }

    private static void wrongType(Setting<?> setting, String name, Node node, Problems problems) {
        problems.at(node, name + ": expected " + expected(setting) + ", found " + describe(node));
    }

    private static String string(Setting<?> setting, String name, Node node, Problems problems) {
        String text = text(node);
        if (text == null) {
            wrongType(setting, name, node, problems);
        }
        return text;
    }

    private static Long integer(Setting<?> setting, String name, Node node, Problems problems) {
        Long n = parseLong(text(node));
        if (n == null) {
            wrongType(setting, name, node, problems);
        }
        return n;
    }

    /** Decimal (with YAML's optional {@code _} separators) or {@code 0x} hexadecimal; null if neither. */
    static Long parseLong(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String digits = text.replace("_", "");
        int radix = 10;
        boolean negative = false;
        int start = 0;
        if (digits.startsWith("-") || digits.startsWith("+")) {
            negative = digits.charAt(0) == '-';
            start = 1;
        }
        if (digits.startsWith("0x", start) || digits.startsWith("0X", start)) {
            radix = 16;
            start += 2;
        }
        if (start >= digits.length() || Character.digit(digits.charAt(start), radix) < 0) {
            return null;
        }
        try {
            return Long.parseLong((negative ? "-" : "") + digits.substring(start), radix);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Boolean bool(Setting<?> setting, String name, Node node, Problems problems) {
        String text = text(node);
        if ("true".equalsIgnoreCase(text)) {
            return Boolean.TRUE;
        }
        if ("false".equalsIgnoreCase(text)) {
            return Boolean.FALSE;
        }
        wrongType(setting, name, node, problems);
        return null;
    }

    private static List<String> stringList(Setting<?> setting, String name, Node node, Problems problems) {
        if (node instanceof ScalarNode && text(node) != null) {
            return List.of(text(node));
        }
        if (!(node instanceof SequenceNode sequence)) {
            wrongType(setting, name, node, problems);
            return null;
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

    private static Map<String, String> stringMap(Setting<?> setting, String name, Node node, Problems problems) {
        if (!(node instanceof MappingNode mapping)) {
            wrongType(setting, name, node, problems);
            return null;
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

    private static String choice(Setting<?> setting, String name, Node node, Problems problems) {
        String text = text(node);
        if (text == null) {
            wrongType(setting, name, node, problems);
            return null;
        }
        if (!setting.choices().contains(text)) {
            problems.at(node, name + ": " + quote(text) + " is not one of " + String.join(", ", setting.choices())
                    + ClosestName.suggestion(text, setting.choices()));
            return null;
        }
        return text;
    }
}
