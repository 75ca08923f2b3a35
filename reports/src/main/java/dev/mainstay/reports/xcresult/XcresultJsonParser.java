package dev.mainstay.reports.xcresult;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.mainstay.reports.ExecutionSink;
import dev.mainstay.reports.JsonReports;
import dev.mainstay.reports.ParseLimits;
import dev.mainstay.reports.ReportException;
import dev.mainstay.reports.ReportParser;
import dev.mainstay.reports.ReportTimes;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;

/**
 * The JSON that {@code xcrun xcresulttool get test-results tests} prints (Xcode 16 and later),
 * read as its JSON Schema describes it: {@code testNodes}, a tree of nodes each with a
 * {@code nodeType}, {@code name}, optional {@code result}, {@code duration} /
 * {@code durationInSeconds}, {@code sourceLocation} and {@code children}.
 *
 * <p><b>Tests.</b> Each {@code Test Case} node is a test: its name is the case's name
 * ({@code testAdd()}, or a Swift Testing display name), its classname the enclosing
 * {@code Test Suite}'s name, its suites the names of the enclosing bundles ({@code Unit test
 * bundle}, {@code UI test bundle}) and suites, outermost first, and its file the
 * {@code sourceLocation.filePath}, when given. The {@code Test Plan} adds nothing, so a test
 * moved to another plan stays the same test. {@code nodeIdentifier} is not kept: executions
 * carry names, as in every other format.
 *
 * <p><b>Parts of a test case.</b> Children of a test case may split it: each {@code Arguments}
 * child (a parameterised Swift Testing test) is a distinct test named
 * {@code case [argument]}; each {@code Device} or {@code Test Plan Configuration} child is the
 * same test in another place, so its name is added to the suites (the variant stays empty: the
 * uploader adds one); {@code Repetition} and {@code Test Case Run} children (test repetitions,
 * retries on failure) are successive attempts 1, 2, … of the same test, in order. Parts nest
 * (an argument's repetitions, a device's runs); each part that splits no further is one
 * execution, with its own result and duration. A device or configuration node above a bundle,
 * rather than inside a test case, likewise adds its name to the suites of every test below it.
 *
 * <p><b>Results.</b> Passed and Expected Failure are passed (an expected failure is one the test
 * declared with {@code XCTExpectFailure} or {@code withKnownIssue}; it does not fail the run);
 * Failed is failed; Skipped skipped; {@code unknown}, any other value, or none on the part or
 * above it, an error. {@code Failure Message} children give the message (the first) and the
 * stack trace (all of them, with their details, one after another); a {@code Skip Message} the
 * message of a skip. The duration is {@code durationInSeconds}, or else the human-readable
 * {@code duration} ({@code 1m 2s}, {@code 0,75s}), or zero.
 *
 * <p><b>Streaming.</b> One pass with Jackson's streaming parser under {@link ParseLimits}. Only
 * the test case being read is kept (its parts and messages, each message an excerpt), and its
 * executions are handed over as soon as the names of all nodes around it are known. xcresulttool
 * writes keys alphabetically, so {@code children} come before a node's {@code name} and
 * {@code nodeType}: then executions wait, as small records, until the enclosing nodes end, and
 * memory grows with the number of executions in the outermost node; when names come first,
 * each execution is handed over as its test case ends. Keys the parser does not read
 * ({@code nodeIdentifier}, {@code tags}, {@code devices}, …) are skipped; a key it reads with a
 * value of another JSON type than the schema's is rejected, as are a top level that is not an
 * object, a missing {@code testNodes}, and anything after the top-level object. Strings the
 * parser reads, messages included, are bounded by {@code maxAttributeChars}; messages are kept
 * as excerpts of {@code maxTextChars}.
 */
public final class XcresultJsonParser implements ReportParser {

    private static final String NOT_XCRESULT = "not the JSON of `xcresulttool get test-results tests`";

    @Override
    public void parse(String report, InputStream in, ParseLimits limits, ExecutionSink sink) throws ReportException, IOException {
        JsonReports.read(report, in, limits, json -> read(report, json, limits, sink));
    }

    private static void read(String report, JsonParser json, ParseLimits limits, ExecutionSink sink) throws IOException, ReportException {
        JsonToken top = json.nextToken();
        if (top == null) {
            throw new ReportException(report, OptionalLong.empty(), "empty: no JSON object");
        }
        if (top != JsonToken.START_OBJECT) {
            throw new ReportException(report, line(json), "the top level is " + JsonReports.kind(top) + ", not an object: " + NOT_XCRESULT);
        }
        boolean testNodes = false;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            if (field.equals("testNodes")) {
                if (value != JsonToken.START_ARRAY) {
                    throw new ReportException(report, line(json), "\"testNodes\" is " + JsonReports.kind(value) + ", not an array");
                }
                testNodes = true;
                nodes(report, json, limits, sink);
            } else {
                json.skipChildren();
            }
        }
        if (!testNodes) {
            throw new ReportException(report, line(json), "no \"testNodes\": " + NOT_XCRESULT);
        }
        JsonToken after = json.nextToken();
        if (after != null) {
            throw new ReportException(report, line(json), JsonReports.kind(after) + " after the top-level object");
        }
    }

    /** Reads the array of nodes {@code json} is at, and every node inside, without recursion. */
    private static void nodes(String report, JsonParser json, ParseLimits limits, ExecutionSink sink) throws IOException, ReportException {
        Deque<TestNode> open = new ArrayDeque<>();
        while (true) {
            TestNode node = open.peek();
            if (node == null || node.inChildren) {
                JsonToken token = json.nextToken();
                if (token == JsonToken.END_ARRAY) {
                    if (node == null) {
                        return;
                    }
                    node.inChildren = false;
                } else if (token == JsonToken.START_OBJECT) {
                    open.push(new TestNode(node, limits.maxTextChars()));
                } else {
                    throw new ReportException(report, line(json), "a test node is " + JsonReports.kind(token) + ", not an object");
                }
                continue;
            }
            if (json.nextToken() == JsonToken.END_OBJECT) {
                open.pop();
                ended(report, node, sink);
                continue;
            }
            String field = json.currentName();
            JsonToken value = json.nextToken();
            switch (field) {
                case "children" -> node.inChildren = expect(report, json, field, value, JsonToken.START_ARRAY) != null;
                case "nodeType" -> node.type(text(report, json, field, value));
                case "name" -> node.name(text(report, json, field, value));
                case "result" -> node.result = text(report, json, field, value);
                case "details" -> node.details = text(report, json, field, value);
                case "duration" -> node.duration = text(report, json, field, value);
                case "durationInSeconds" -> {
                    String seconds = expect(report, json, field, value, JsonToken.VALUE_NUMBER_FLOAT, JsonToken.VALUE_NUMBER_INT);
                    node.seconds = seconds == null ? null : ReportTimes.seconds(seconds);
                }
                case "sourceLocation" -> {
                    if (expect(report, json, field, value, JsonToken.START_OBJECT) != null) {
                        node.file = filePath(report, json);
                    }
                }
                default -> json.skipChildren();
            }
        }
    }

    /** Hands what an ended node holds to its parent, and the executions it makes or holds on up. */
    private static void ended(String report, TestNode node, ExecutionSink sink) {
        node.ended = true;
        TestNode parent = node.parent;
        if (parent != null) {
            parent.adopt(node);
        }
        List<CaseRun> runs = new ArrayList<>(node.waiting);
        if (node.type() == NodeType.TEST_CASE) {
            // Test cases nested in this one (not in the schema, but not lost either) ended before it.
            runs.addAll(CaseRun.of(node));
        }
        TestNode at = parent;
        while (at != null && at.passable()) {
            at = at.parent;
        }
        if (at == null) {
            runs.forEach(run -> sink.accept(run.execution(report)));
        } else {
            at.waiting.addAll(runs);
        }
        node.release();
    }

    /** The {@code filePath} of the {@code sourceLocation} object {@code json} is at, or empty. */
    private static String filePath(String report, JsonParser json) throws IOException, ReportException {
        String path = "";
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            if (field.equals("filePath")) {
                String text = text(report, json, field, value);
                path = text == null ? "" : text.strip();
            } else {
                json.skipChildren();
            }
        }
        return path;
    }

    /** The string value of {@code field}, or null when it is null. */
    private static String text(String report, JsonParser json, String field, JsonToken value) throws IOException, ReportException {
        return expect(report, json, field, value, JsonToken.VALUE_STRING);
    }

    /**
     * Checks that {@code value} is of a type the schema allows for {@code field} (null is taken as
     * absent): a scalar's text, a container's start as {@code ""}, or null when it is null.
     *
     * @throws ReportException when it is of another type
     */
    private static String expect(String report, JsonParser json, String field, JsonToken value, JsonToken... allowed)
        throws IOException, ReportException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        for (JsonToken a : allowed) {
            if (a == value) {
                return value.isScalarValue() ? json.getText() : "";
            }
        }
        throw new ReportException(report, line(json), "\"" + field + "\" is " + JsonReports.kind(value) + ", not " + JsonReports.kind(allowed[0]));
    }

    private static OptionalLong line(JsonParser json) {
        return JsonReports.line(json.currentTokenLocation());
    }
}
