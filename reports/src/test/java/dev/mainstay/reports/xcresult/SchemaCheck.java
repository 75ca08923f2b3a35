package dev.mainstay.reports.xcresult;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test fixture: checks a JSON value against a definition of a JSON Schema, in the subset that
 * xcresulttool's schema uses ({@code $defs} and {@code $ref}, {@code type}, {@code properties},
 * {@code required}, {@code items}, {@code enum}; {@code format} and {@code description} are
 * notes). A keyword outside the subset is itself a problem, so the check never passes by not
 * looking.
 */
final class SchemaCheck {

    private static final Set<String> KEYWORDS = Set.of("$ref", "type", "properties", "required", "items", "enum", "format", "description");

    private final Map<?, ?> defs;

    SchemaCheck(Path schema) throws IOException {
        Map<?, ?> root = (Map<?, ?>) JsonTree.read(Files.readString(schema));
        this.defs = (Map<?, ?>) root.get("$defs");
    }

    /** What in {@code value} breaks the definition {@code def} (e.g. {@code Tests}), each with its JSON pointer; empty when nothing. */
    List<String> problems(Object value, String def) {
        List<String> problems = new ArrayList<>();
        check(value, (Map<?, ?>) defs.get(def), "", problems);
        return problems;
    }

    private void check(Object value, Map<?, ?> schema, String at, List<String> problems) {
        for (Object keyword : schema.keySet()) {
            if (!KEYWORDS.contains(keyword)) {
                problems.add(at + ": the schema uses " + keyword + ", which this check does not know");
            }
        }
        if (schema.get("$ref") instanceof String ref) {
            check(value, (Map<?, ?>) defs.get(ref.substring("#/$defs/".length())), at, problems);
            return;
        }
        if (schema.get("type") instanceof String type && !is(type, value)) {
            problems.add(at + ": " + value + " is not of type " + type);
            return;
        }
        if (schema.get("enum") instanceof List<?> allowed && !allowed.contains(value)) {
            problems.add(at + ": " + value + " is not one of " + allowed);
        }
        if (value instanceof Map<?, ?> object) {
            if (schema.get("required") instanceof List<?> required) {
                required.stream().filter(r -> !object.containsKey(r)).forEach(r -> problems.add(at + ": lacks the required " + r));
            }
            if (schema.get("properties") instanceof Map<?, ?> properties) {
                object.forEach((k, v) -> {
                    if (properties.get(k) instanceof Map<?, ?> property) {
                        check(v, property, at + "/" + k, problems);
                    }
                });
            }
        }
        if (value instanceof List<?> list && schema.get("items") instanceof Map<?, ?> items) {
            for (int i = 0; i < list.size(); i++) {
                check(list.get(i), items, at + "/" + i, problems);
            }
        }
    }

    private static boolean is(String type, Object value) {
        return switch (type) {
            case "object" -> value instanceof Map;
            case "array" -> value instanceof List;
            case "string" -> value instanceof String;
            case "number" -> value instanceof BigDecimal;
            case "integer" -> value instanceof BigDecimal n && n.stripTrailingZeros().scale() <= 0;
            case "boolean" -> value instanceof Boolean;
            default -> throw new IllegalArgumentException("unknown JSON Schema type " + type);
        };
    }
}
