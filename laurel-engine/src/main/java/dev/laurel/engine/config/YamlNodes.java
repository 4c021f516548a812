package dev.laurel.engine.config;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Reading SnakeYAML's node tree, and naming what was found in messages. */
final class YamlNodes {
    /** Longer values are cut in messages; the position says where the rest is. */
    private static final int MAX_QUOTED = 60;

    private YamlNodes() {
    }

    /** An empty value, {@code ~} or {@code null}. */
    static boolean isNull(Node node) {
        return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    /** The text of a non-null scalar, else null. */
    static String text(Node node) {
        return node instanceof ScalarNode s && !s.getTag().equals(Tag.NULL) ? s.getValue() : null;
    }

    /** What the user wrote, for "found ...": {@code "abc"}, {@code a list}, {@code nothing}. */
    static String describe(Node node) {
        if (node == null || isNull(node)) {
            return "nothing";
        }
        if (node instanceof ScalarNode s) {
            return quote(s.getValue());
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        return "an unsupported YAML node";
    }

    /** {@code "text"} with quotes, backslashes and line breaks escaped, cut if long. */
    static String quote(String text) {
        String cut = text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "..." : text;
        StringBuilder sb = new StringBuilder(cut.length() + 2).append('"');
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** {@code line 3, column 5} (1-based). */
    static String position(Node node) {
        return "line " + (node.getStartMark().getLine() + 1) + ", column " + (node.getStartMark().getColumn() + 1);
    }

    /** A converted value as users would write it, for "(got ...)". */
    static String render(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        return String.valueOf(value);
    }

    /**
     * The entries of a mapping by key, in file order. A key that is not a scalar or appears twice is
     * a problem; the first occurrence wins.
     */
    static Map<String, NodeTuple> entries(MappingNode mapping, Problems problems) {
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            String key = text(t.getKeyNode());
            if (key == null) {
                problems.at(t.getKeyNode(), "expected a plain name as key, found " + describe(t.getKeyNode()));
                continue;
            }
            NodeTuple first = entries.get(key);
            if (first != null) {
                problems.at(t.getKeyNode(), "duplicate key " + quote(key) + " (first at "
                        + position(first.getKeyNode()) + "); remove one of them");
                continue;
            }
            entries.put(key, t);
        }
        return entries;
    }
}
