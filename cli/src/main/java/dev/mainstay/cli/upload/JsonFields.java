package dev.mainstay.cli.upload;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The top-level scalar fields of a JSON object the appliance answered, as text; nested values are skipped. */
public final class JsonFields {

    private static final JsonFactory JSON = new JsonFactory();

    private JsonFields() {
    }

    /** The fields of {@code body}; empty when it is not a JSON object. */
    public static Map<String, String> read(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        try (JsonParser json = JSON.createParser(body)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return Map.of();
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                JsonToken value = json.nextToken();
                if (value.isScalarValue() && value != JsonToken.VALUE_NULL) {
                    fields.put(name, json.getText());
                } else {
                    json.skipChildren();
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return fields;
    }

    /** True when {@code body} is a JSON object whose top-level member {@code name} is the literal {@code true}. */
    public static boolean isTrue(String body, String name) {
        try (JsonParser json = JSON.createParser(body)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                if (field.equals(name)) {
                    return value == JsonToken.VALUE_TRUE;
                }
                json.skipChildren();
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
