package dev.laurel.plugins.ocsf;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks one OCSF event (a JSON tree) against its class in an {@link OcsfSchema}: the class is
 * the one {@code class_uid} names; {@code metadata.profiles} says which profiles apply; required
 * attributes present (unless their profile does not apply), no attribute outside the class or
 * object, none from a profile the event does not declare, values of the dictionary's type (with
 * the types section's regex, range and length), enum ids the schema knows, enum siblings equal
 * to the enum's caption (except Other, 99), objects checked recursively, {@code at_least_one} and
 * {@code just_one} constraints, and {@code type_uid} = class × 100 + activity.
 */
final class OcsfValidator {
    private final OcsfSchema schema;

    OcsfValidator(OcsfSchema schema) {
        this.schema = schema;
    }

    /** Every problem of {@code event}, each starting with the attribute's path; empty if it is valid. */
    List<String> validate(JsonNode event) {
        List<String> problems = new ArrayList<>();
        if (!event.isObject()) {
            problems.add("$: an event must be a JSON object");
            return problems;
        }
        JsonNode classUid = event.get("class_uid");
        OcsfSchema.EventClass cls = classUid != null && classUid.canConvertToInt()
                ? schema.eventClass(classUid.asInt()) : null;
        if (cls == null) {
            problems.add("class_uid: " + classUid + " is not a class of the schema");
            return problems;
        }
        Set<String> profiles = new HashSet<>();
        for (JsonNode p : event.path("metadata").path("profiles")) {
            if (!schema.isProfile(p.asText())) {
                problems.add("metadata.profiles: " + p + " is not a profile of the schema");
            }
            profiles.add(p.asText());
        }
        checkShape("", cls.shape(), event, profiles, problems);
        JsonNode category = event.get("category_uid");
        if (category != null && category.asInt() != cls.categoryUid()) {
            problems.add("category_uid: " + category + " but class " + cls.name() + " is in category "
                    + cls.categoryUid());
        }
        JsonNode activity = event.get("activity_id");
        JsonNode typeUid = event.get("type_uid");
        if (activity != null && typeUid != null && typeUid.asLong() != cls.uid() * 100L + activity.asLong()) {
            problems.add("type_uid: " + typeUid + " but class_uid × 100 + activity_id is "
                    + (cls.uid() * 100L + activity.asLong()));
        }
        return problems;
    }

    private void checkShape(String path, OcsfSchema.Shape shape, JsonNode node, Set<String> profiles,
                            List<String> problems) {
        for (OcsfSchema.Attribute a : shape.attributes().values()) {
            if (a.required() && (a.profile() == null || profiles.contains(a.profile())) && !node.has(a.name())) {
                problems.add(path + a.name() + ": required by " + shape.name() + " but missing");
            }
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = path + e.getKey();
            OcsfSchema.Attribute a = shape.attributes().get(e.getKey());
            if (a == null) {
                problems.add(where + ": not an attribute of " + shape.name());
                continue;
            }
            if (a.profile() != null && !profiles.contains(a.profile())) {
                problems.add(where + ": belongs to profile " + a.profile() + ", which metadata.profiles does not list");
            }
            if (a.array()) {
                if (!e.getValue().isArray()) {
                    problems.add(where + ": must be an array of " + a.type());
                    continue;
                }
                int i = 0;
                for (JsonNode item : e.getValue()) {
                    checkValue(where + "[" + i++ + "]", a, item, profiles, problems);
                }
            } else {
                checkValue(where, a, e.getValue(), profiles, problems);
            }
            if (a.enumCaptions() != null && a.sibling() != null && node.has(a.sibling())
                    && !isClassification(a.name())) {
                String id = e.getValue().asText();
                String caption = a.enumCaptions().get(id);
                if (caption != null && !id.equals("99") && !caption.equals(node.get(a.sibling()).asText())) {
                    problems.add(path + a.sibling() + ": " + node.get(a.sibling()) + " but " + a.name() + " "
                            + id + " is \"" + caption + "\"");
                }
            }
        }
        if (!shape.atLeastOne().isEmpty() && shape.atLeastOne().stream().noneMatch(node::has)) {
            problems.add(path + "*: " + shape.name() + " needs at least one of " + shape.atLeastOne());
        }
        if (!shape.justOne().isEmpty() && shape.justOne().stream().filter(node::has).count() != 1) {
            problems.add(path + "*: " + shape.name() + " needs exactly one of " + shape.justOne());
        }
    }

    /** class_uid, category_uid and type_uid are checked against the class, not as enums. */
    private static boolean isClassification(String name) {
        return name.equals("class_uid") || name.equals("category_uid") || name.equals("type_uid");
    }

    private void checkValue(String where, OcsfSchema.Attribute a, JsonNode v, Set<String> profiles,
                            List<String> problems) {
        if (v.isNull()) {
            problems.add(where + ": null (leave the attribute out instead)");
            return;
        }
        OcsfSchema.DataType type = schema.type(a.type());
        if (type == null) {
            if (!v.isObject()) {
                problems.add(where + ": must be a " + a.type() + " object, is " + v);
            } else if (!a.type().equals("object")) { // "object" (unmapped) holds anything
                OcsfSchema.Shape shape = schema.object(a.type());
                if (shape == null) {
                    problems.add(where + ": type " + a.type() + " is neither a data type nor an object");
                } else {
                    checkShape(where + ".", shape, v, profiles, problems);
                }
            }
            return;
        }
        boolean ok = switch (type.base()) {
            case "string_t" -> v.isTextual();
            case "integer_t" -> v.isIntegralNumber() && v.canConvertToInt();
            case "long_t" -> v.isIntegralNumber() && v.canConvertToLong();
            case "float_t" -> v.isNumber();
            case "boolean_t" -> v.isBoolean();
            default -> true; // json_t
        };
        if (!ok) {
            problems.add(where + ": must be " + type.name() + " (" + type.base() + "), is " + v);
            return;
        }
        if (type.regex() != null && !type.regex().matcher(v.asText()).find()) {
            problems.add(where + ": " + v + " does not match " + type.name() + "'s pattern");
        }
        if (type.maxLength() != null && v.asText().length() > type.maxLength()) {
            problems.add(where + ": " + v + " is longer than " + type.name() + "'s " + type.maxLength());
        }
        if (type.min() != null && (v.asLong() < type.min() || v.asLong() > type.max())) {
            problems.add(where + ": " + v + " is outside " + type.name() + "'s range " + type.min() + ".." + type.max());
        }
        if (a.enumCaptions() != null && !isClassification(a.name()) && !a.enumCaptions().containsKey(v.asText())) {
            problems.add(where + ": " + v + " is not among the enum ids " + a.enumCaptions().keySet());
        }
    }
}
