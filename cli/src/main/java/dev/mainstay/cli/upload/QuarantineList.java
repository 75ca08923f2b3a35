package dev.mainstay.cli.upload;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The quarantine list of one repository as {@code GET /api/v1/quarantine} answers it: the org (test
 * ids are computed within it) and the quarantined tests by id.
 *
 * @param org   the token's org
 * @param tests by test id
 */
record QuarantineList(String org, Map<String, Entry> tests) {

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * One quarantined test.
     *
     * @param name      {@code classname › name}, for messages
     * @param reason    why it is quarantined
     * @param owner     who owns the fix, may be empty
     * @param expiresAt when the quarantine ends; empty for never
     */
    record Entry(String name, String reason, String owner, Optional<Instant> expiresAt) {
        /** In force at {@code now}. */
        boolean inForce(Instant now) {
            return expiresAt.isEmpty() || expiresAt.get().isAfter(now);
        }
    }

    QuarantineList {
        tests = Map.copyOf(tests);
    }

    /** The quarantine of {@code testId} in force at {@code now}, if any. */
    Optional<Entry> covering(String testId, Instant now) {
        return Optional.ofNullable(tests.get(testId)).filter(e -> e.inForce(now));
    }

    /**
     * Reads the appliance's answer.
     *
     * @throws IllegalArgumentException saying what is wrong, when it is not such a list
     */
    static QuarantineList parse(String body) {
        String org = null;
        Map<String, Entry> tests = new LinkedHashMap<>();
        try (JsonParser json = JSON.createParser(body)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("the quarantine list is not a JSON object");
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                if (field.equals("org") && value == JsonToken.VALUE_STRING) {
                    org = json.getText();
                } else if (field.equals("tests") && value == JsonToken.START_ARRAY) {
                    while (json.nextToken() == JsonToken.START_OBJECT) {
                        readTest(json, tests);
                    }
                } else {
                    json.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the quarantine list is not valid JSON: " + e.getMessage());
        }
        if (org == null || org.isEmpty()) {
            throw new IllegalArgumentException("the quarantine list names no org");
        }
        return new QuarantineList(org, tests);
    }

    private static void readTest(JsonParser json, Map<String, Entry> tests) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            JsonToken value = json.nextToken();
            if (value == JsonToken.VALUE_STRING) {
                fields.put(name, json.getText());
            } else {
                json.skipChildren();
            }
        }
        String id = fields.getOrDefault("test_id", "");
        if (!id.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("the quarantine list holds a test without a valid test_id: '" + id + "'");
        }
        Optional<Instant> expires;
        try {
            expires = Optional.ofNullable(fields.get("expires_at")).map(Instant::parse);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("the quarantine of " + id + " has an unreadable expires_at: " + fields.get("expires_at"));
        }
        String classname = fields.getOrDefault("classname", "");
        String name = fields.getOrDefault("name", "");
        tests.put(id, new Entry(classname.isEmpty() ? name : classname + " › " + name, fields.getOrDefault("reason", ""),
            fields.getOrDefault("owner", ""), expires));
    }
}
