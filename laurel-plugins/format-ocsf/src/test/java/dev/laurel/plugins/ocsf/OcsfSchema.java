package dev.laurel.plugins.ocsf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The OCSF schema compiled from its source ({@code testdata/ocsf-1.8.0/}), as the OCSF server
 * compiles it: a class or object starts from what it {@code extends}, adds the attributes of the
 * files its {@code $include} names (a profile's attributes tagged with the profile's name), then
 * its own attributes on top ({@code "profile": null} makes an included attribute unconditional);
 * every attribute takes its type, array-ness, enum and sibling from {@code dictionary.json}, an
 * enum the class gives being added to the dictionary's. An extension's object without a name of
 * its own ({@code extensions/linux/objects/process.json}) patches the core object it extends; its
 * profiles are named {@code linux/NAME}.
 */
final class OcsfSchema {
    /** One attribute of a class or object, resolved. */
    record Attribute(String name, String type, boolean array, String requirement, String profile,
                     Map<String, String> enumCaptions, String sibling) {
        boolean required() {
            return "required".equals(requirement);
        }
    }

    /** A class or object: its attributes and its {@code at_least_one}/{@code just_one} constraints. */
    record Shape(String name, Map<String, Attribute> attributes, List<String> atLeastOne,
                 List<String> justOne, Set<String> profiles) {
    }

    /** An event class: uid = category uid × 1000 + the class's own uid. */
    record EventClass(String name, int uid, int categoryUid, Shape shape) {
    }

    /** A data type of the dictionary's {@code types} section, with the base type it narrows. */
    record DataType(String name, String base, Pattern regex, Long min, Long max, Integer maxLength) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> BASE_TYPES = Set.of("string_t", "integer_t", "long_t", "float_t",
            "boolean_t", "json_t");

    private final Path root;
    private final JsonNode dictionary;
    private final Map<String, DataType> types = new LinkedHashMap<>();
    private final Map<String, Path> objectFiles = new LinkedHashMap<>();
    private final Map<String, List<Path>> objectPatches = new LinkedHashMap<>();
    private final Map<String, Path> eventFiles = new LinkedHashMap<>();
    private final Map<String, Integer> categories = new LinkedHashMap<>();
    private final Map<String, Shape> objects = new LinkedHashMap<>();
    private final Map<Integer, EventClass> classes = new LinkedHashMap<>();
    private final Set<String> profileNames = new LinkedHashSet<>();

    private OcsfSchema(Path root) {
        this.root = root;
        this.dictionary = read(root.resolve("dictionary.json"));
        loadTypes();
        read(root.resolve("categories.json")).get("attributes").fields()
                .forEachRemaining(e -> categories.put(e.getKey(), e.getValue().get("uid").asInt()));
        for (Path f : jsonFiles(root.resolve("objects"))) {
            objectFiles.put(read(f).get("name").asText(), f);
        }
        for (Path f : jsonFiles(root.resolve("events"))) {
            eventFiles.put(read(f).get("name").asText(), f);
        }
        for (Path f : jsonFiles(root.resolve("profiles"))) {
            profileNames.add(read(f).get("name").asText());
        }
        Path extensions = root.resolve("extensions");
        if (Files.isDirectory(extensions)) {
            for (Path ext : list(extensions)) {
                String prefix = ext.getFileName() + "/";
                for (Path f : jsonFiles(ext.resolve("profiles"))) {
                    profileNames.add(prefix + read(f).get("name").asText());
                }
                for (Path f : jsonFiles(ext.resolve("objects"))) {
                    JsonNode def = read(f);
                    if (def.has("name")) {
                        objectFiles.put(def.get("name").asText(), f);
                    } else {
                        objectPatches.computeIfAbsent(def.get("extends").asText(), k -> new ArrayList<>()).add(f);
                    }
                }
            }
        }
        for (String name : eventFiles.keySet()) {
            JsonNode def = read(eventFiles.get(name));
            if (def.has("uid") || name.equals("base_event")) {
                Shape shape = resolve(name, eventFiles, Map.of());
                String category = category(name);
                int categoryUid = categories.getOrDefault(category, 0);
                int uid = categoryUid * 1000 + def.path("uid").asInt(0);
                classes.put(uid, new EventClass(name, uid, categoryUid, shape));
            }
        }
    }

    /** Compiles the schema under {@code root} (the directory holding {@code dictionary.json}). */
    static OcsfSchema load(Path root) {
        return new OcsfSchema(root);
    }

    EventClass eventClass(int uid) {
        return classes.get(uid);
    }

    Map<Integer, EventClass> classes() {
        return classes;
    }

    /** The object named {@code name}, compiled once; null if there is none. */
    Shape object(String name) {
        Shape s = objects.get(name);
        if (s == null && objectFiles.containsKey(name)) {
            s = resolve(name, objectFiles, objectPatches);
            objects.put(name, s);
        }
        return s;
    }

    DataType type(String name) {
        return types.get(name);
    }

    boolean isProfile(String name) {
        return profileNames.contains(name);
    }

    private String category(String eventName) {
        JsonNode def = read(eventFiles.get(eventName));
        if (def.has("category")) {
            return def.get("category").asText();
        }
        return def.has("extends") ? category(def.get("extends").asText()) : "other";
    }

    private void loadTypes() {
        JsonNode t = dictionary.get("types").get("attributes");
        t.fields().forEachRemaining(e -> {
            JsonNode d = e.getValue();
            String base = e.getKey();
            while (!BASE_TYPES.contains(base)) {
                base = t.get(base).get("type").asText();
            }
            JsonNode range = d.get("range");
            types.put(e.getKey(), new DataType(e.getKey(), base,
                    d.has("regex") ? Pattern.compile(d.get("regex").asText()) : null,
                    range == null ? null : range.get(0).asLong(),
                    range == null ? null : range.get(1).asLong(),
                    d.has("max_len") ? d.get("max_len").asInt() : null));
        });
    }

    /** Merged raw attribute definitions (with "profile" tags) of {@code name}, parents first. */
    private Shape resolve(String name, Map<String, Path> files, Map<String, List<Path>> patches) {
        Path file = files.get(name);
        if (file == null) {
            throw new IllegalStateException("OCSF schema: no definition of " + name);
        }
        JsonNode def = read(file);
        Map<String, ObjectNode> raw = new LinkedHashMap<>();
        Set<String> profiles = new LinkedHashSet<>();
        List<String> atLeastOne = new ArrayList<>();
        List<String> justOne = new ArrayList<>();
        if (def.has("extends")) {
            rawOf(def.get("extends").asText(), files, raw, profiles, atLeastOne, justOne);
        }
        apply(def, file, raw, profiles, atLeastOne, justOne);
        for (Path patch : patches.getOrDefault(name, List.of())) {
            apply(read(patch), patch, raw, profiles, atLeastOne, justOne);
        }
        Map<String, Attribute> attributes = new LinkedHashMap<>();
        raw.forEach((k, v) -> attributes.put(k, finish(name, k, v)));
        return new Shape(name, attributes, atLeastOne, justOne, profiles);
    }

    private void rawOf(String name, Map<String, Path> files, Map<String, ObjectNode> raw, Set<String> profiles,
                       List<String> atLeastOne, List<String> justOne) {
        Path file = files.get(name);
        if (file == null) {
            throw new IllegalStateException("OCSF schema: " + name + " is extended but not defined");
        }
        JsonNode def = read(file);
        if (def.has("extends")) {
            rawOf(def.get("extends").asText(), files, raw, profiles, atLeastOne, justOne);
        }
        apply(def, file, raw, profiles, atLeastOne, justOne);
    }

    private void apply(JsonNode def, Path file, Map<String, ObjectNode> raw, Set<String> profiles,
                       List<String> atLeastOne, List<String> justOne) {
        JsonNode attrs = def.path("attributes");
        for (JsonNode include : attrs.path("$include")) {
            Path incFile = includePath(file, include.asText());
            JsonNode inc = read(incFile);
            String profile = null;
            if ("profile".equals(inc.path("meta").asText())) {
                Path ext = extensionDir(incFile);
                profile = (ext == null ? "" : ext.getFileName() + "/") + inc.get("name").asText();
            }
            Iterator<Map.Entry<String, JsonNode>> it = inc.path("attributes").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                ObjectNode existing = raw.get(e.getKey());
                ObjectNode merged = existing == null ? JSON.createObjectNode() : existing;
                boolean wasUnconditional = existing != null && profileOf(existing) == null;
                merge(merged, (ObjectNode) e.getValue());
                if (profile != null && !wasUnconditional) {
                    merged.put("profile", profile);
                }
                raw.put(e.getKey(), merged);
            }
        }
        Iterator<Map.Entry<String, JsonNode>> it = attrs.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("$include")) {
                continue;
            }
            ObjectNode merged = raw.computeIfAbsent(e.getKey(), k -> JSON.createObjectNode());
            merge(merged, (ObjectNode) e.getValue());
        }
        Path ext = extensionDir(file);
        for (JsonNode p : def.path("profiles")) {
            String n = p.asText();
            profiles.add(ext != null && !n.contains("/") ? ext.getFileName() + "/" + n : n);
        }
        JsonNode constraints = def.path("constraints");
        if (constraints.has("at_least_one")) {
            atLeastOne.clear();
            constraints.get("at_least_one").forEach(n -> atLeastOne.add(n.asText()));
        }
        if (constraints.has("just_one")) {
            justOne.clear();
            constraints.get("just_one").forEach(n -> justOne.add(n.asText()));
        }
    }

    private static String profileOf(ObjectNode attr) {
        JsonNode p = attr.get("profile");
        return p == null || p.isNull() ? null : p.asText();
    }

    /** Deep merge: objects (enums) merge key by key, anything else is replaced. */
    private static void merge(ObjectNode into, ObjectNode from) {
        Iterator<Map.Entry<String, JsonNode>> it = from.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode old = into.get(e.getKey());
            if (old instanceof ObjectNode o && e.getValue() instanceof ObjectNode n) {
                merge(o, n);
            } else {
                into.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    private Attribute finish(String owner, String name, ObjectNode raw) {
        JsonNode dict = dictionary.get("attributes").get(name);
        if (dict == null) {
            throw new IllegalStateException("OCSF schema: " + owner + "." + name + " is not in the dictionary");
        }
        ObjectNode enumNode = JSON.createObjectNode();
        if (dict.get("enum") instanceof ObjectNode d) {
            merge(enumNode, d);
        }
        if (raw.get("enum") instanceof ObjectNode c) {
            merge(enumNode, c);
        }
        Map<String, String> captions = null;
        if (enumNode.size() > 0) {
            captions = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = enumNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                captions.put(e.getKey(), e.getValue().path("caption").asText());
            }
        }
        String type = raw.has("type") ? raw.get("type").asText() : dict.get("type").asText();
        return new Attribute(name, type, dict.path("is_array").asBoolean(false),
                raw.path("requirement").asText("optional"), profileOf(raw), captions,
                dict.has("sibling") ? dict.get("sibling").asText() : null);
    }

    private Path includePath(Path from, String include) {
        Path ext = extensionDir(from);
        if (ext != null && Files.exists(ext.resolve(include))) {
            return ext.resolve(include);
        }
        return root.resolve(include);
    }

    private Path extensionDir(Path file) {
        Path rel = root.relativize(file);
        return rel.getNameCount() > 2 && rel.getName(0).toString().equals("extensions")
                ? root.resolve(rel.subpath(0, 2)) : null;
    }

    private static JsonNode read(Path f) {
        try {
            return JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> jsonFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
