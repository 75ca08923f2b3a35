package dev.mainstay.reports.bazel;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.mainstay.reports.ReportTimes;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One attempt of one test target, as a {@code testResult} event reports it. Bazel writes int64
 * values as strings ({@code "43"}); both strings and numbers are read.
 *
 * @param label     the target, e.g. {@code //pkg:hello_test}
 * @param attempt   which attempt of its run and shard ({@code --flaky_test_attempts}), from 1
 * @param status    Bazel's status as written ({@code FAILED}), or null when the event has none
 * @param details   Bazel's words on the status, for display, or empty
 * @param duration  how long the attempt took; zero when not said
 * @param startedAt when it started
 * @param testXml   the URI, as written, of its {@code test.xml}, when it lists one
 */
record TestAttempt(String label, int attempt, String status, String details, Duration duration, Optional<Instant> startedAt,
                   Optional<String> testXml) {

    /** The fields of {@code id.testResult}, read from the object {@code json} is at (its start consumed). */
    record Id(String label, int attempt) {

        static Id read(JsonParser json) throws IOException {
            String label = null;
            String attempt = null;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                json.nextToken();
                switch (field) {
                    case "label" -> label = scalar(json);
                    case "attempt" -> attempt = scalar(json);
                    default -> json.skipChildren();
                }
            }
            return new Id(label == null || label.isBlank() ? "(no label)" : label.strip(), positive(attempt));
        }
    }

    /** The fields of the {@code testResult} payload, read from the object {@code json} is at (its start consumed). */
    record Payload(String status, String details, Duration duration, Optional<Instant> startedAt, Optional<String> testXml) {

        static Payload read(JsonParser json) throws IOException {
            String status = null;
            String details = null;
            String millis = null;
            String seconds = null;
            String startMillis = null;
            String start = null;
            String testXml = null;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                switch (field) {
                    case "status" -> status = scalar(json);
                    case "statusDetails" -> details = scalar(json);
                    case "testAttemptDurationMillis" -> millis = scalar(json);
                    case "testAttemptDuration" -> seconds = scalar(json);
                    case "testAttemptStartMillisEpoch" -> startMillis = scalar(json);
                    case "testAttemptStart" -> start = scalar(json);
                    case "testActionOutput" -> {
                        String found = value == JsonToken.START_ARRAY ? testXml(json) : skip(json);
                        testXml = testXml == null ? found : testXml;
                    }
                    default -> json.skipChildren();
                }
            }
            Duration duration = millis != null ? ReportTimes.millis(millis)
                : seconds != null ? ReportTimes.seconds(seconds.strip().replaceFirst("s$", "")) : Duration.ZERO;
            Optional<Instant> startedAt = startMillis != null ? epochMillis(startMillis)
                : start != null ? ReportTimes.instant(start) : Optional.empty();
            return new Payload(status, details == null ? "" : details.strip(), duration, startedAt, Optional.ofNullable(testXml));
        }

        /** The URI of the first output named {@code test.xml} in the array {@code json} is at, or null. */
        private static String testXml(JsonParser json) throws IOException {
            String found = null;
            while (json.nextToken() != JsonToken.END_ARRAY) {
                if (json.currentToken() != JsonToken.START_OBJECT) {
                    json.skipChildren();
                    continue;
                }
                String name = null;
                String uri = null;
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String field = json.currentName();
                    json.nextToken();
                    switch (field) {
                        case "name" -> name = scalar(json);
                        case "uri" -> uri = scalar(json);
                        default -> json.skipChildren();
                    }
                }
                if (found == null && "test.xml".equals(name) && uri != null) {
                    found = uri;
                }
            }
            return found;
        }

        private static String skip(JsonParser json) throws IOException {
            json.skipChildren();
            return null;
        }
    }

    /** The attempt {@code id} and {@code payload} describe together. */
    static TestAttempt of(Id id, Payload payload) {
        return new TestAttempt(id.label(), id.attempt(), payload.status(), payload.details(), payload.duration(), payload.startedAt(),
            payload.testXml());
    }

    /** The current scalar as text (a string, number or boolean); null for null, and for an object or array, which is skipped. */
    private static String scalar(JsonParser json) throws IOException {
        JsonToken token = json.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != null && token.isScalarValue()) {
            return json.getText();
        }
        json.skipChildren();
        return null;
    }

    /** A count from 1 written as a string or number; 1 when absent or unreadable. */
    private static int positive(String text) {
        try {
            return text == null ? 1 : Math.max(1, Integer.parseInt(text.strip()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static Optional<Instant> epochMillis(String text) {
        try {
            long millis = Long.parseLong(text.strip());
            return millis < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
