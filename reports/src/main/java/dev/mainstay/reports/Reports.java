package dev.mainstay.reports;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.mainstay.reports.bazel.BazelBepParser;
import dev.mainstay.reports.junit.JunitXmlParser;
import dev.mainstay.reports.rspec.RspecJsonParser;
import dev.mainstay.reports.xcresult.XcresultJsonParser;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Reads a report whose format is not given: detects it from the report's first bytes, then
 * parses it with that format's parser. Uploaders name files freely ({@code results.json} may be
 * any of three formats), so the content decides, not the name.
 *
 * <p>Detection looks at no more than the first {@value #LOOKAHEAD} bytes and hands them back
 * unread: after a UTF-8 byte order mark and whitespace, {@code <} is JUnit XML; <code>{</code> is
 * a JSON object, told apart by its first top-level keys ({@code id} holding an object: a Bazel
 * build event; {@code version}, {@code examples}, {@code summary}, {@code summary_line}: RSpec;
 * {@code testNodes}, {@code devices}, {@code testPlanConfigurations}: xcresulttool). The keys
 * are read with Jackson over the peeked bytes only, so a first value longer than the lookahead
 * hides the keys after it. Detection only chooses a parser: the parser still rejects what is
 * malformed.
 */
public final class Reports {

    /** How many bytes detection looks at, at most. */
    static final int LOOKAHEAD = 64 << 10;

    /** Top-level JSON keys that tell a format (besides Bazel's {@code id}, which must hold an object). */
    private static final Map<String, ReportFormat> KEYS = Map.of(
        "version", ReportFormat.RSPEC, "examples", ReportFormat.RSPEC, "summary", ReportFormat.RSPEC,
        "summary_line", ReportFormat.RSPEC, "testNodes", ReportFormat.XCRESULT, "devices", ReportFormat.XCRESULT,
        "testPlanConfigurations", ReportFormat.XCRESULT);

    /** How much of what a report starts with a rejection shows: keys, characters of a key, bytes of the start. */
    private static final int SHOWN_KEYS = 8;
    private static final int SHOWN_KEY_CHARS = 40;
    private static final int SHOWN_BYTES = 8;

    private Reports() {
    }

    /**
     * The format of the report {@code in} holds, from its first bytes; {@code in} is left where it
     * was (read with mark and reset), so the report can be parsed from it next.
     *
     * @param report the report's name, for messages
     * @throws ReportException when the report is empty, or starts like none of the formats: the
     *                         message names the formats read and what the report starts with
     * @throws IOException     when {@code in} fails
     */
    public static ReportFormat detect(String report, BufferedInputStream in) throws ReportException, IOException {
        byte[] head;
        in.mark(LOOKAHEAD);
        try {
            head = in.readNBytes(LOOKAHEAD);
        } finally {
            in.reset();
        }
        int start = firstContent(head);
        if (start == head.length) {
            String problem = head.length < LOOKAHEAD ? "is empty" : "holds only whitespace in its first " + LOOKAHEAD + " bytes";
            throw new ReportException(report, OptionalLong.empty(), problem);
        }
        if (head[start] == '<') {
            return ReportFormat.JUNIT;
        }
        List<String> keys = new ArrayList<>();
        if (head[start] == '{') {
            Optional<ReportFormat> json = jsonFormat(head, start, keys);
            if (json.isPresent()) {
                return json.get();
            }
        }
        String seen = keys.isEmpty() ? "it starts with '" + shown(head, start) + "'" : "it is a JSON object with keys " + shown(keys);
        throw new ReportException(report, OptionalLong.empty(), "not in a format Mainstay reads ("
            + Arrays.stream(ReportFormat.values()).map(ReportFormat::text).collect(Collectors.joining(", ")) + "): " + seen);
    }

    /**
     * The parser of {@code format}; a Bazel BEP report's parser opens each attempt's
     * {@code test.xml} through {@code files} ({@link ReferencedFiles#NONE}: never), the others
     * refer to no files.
     */
    public static ReportParser parser(ReportFormat format, ReferencedFiles files) {
        return switch (format) {
            case JUNIT -> new JunitXmlParser();
            case BAZEL_BEP -> new BazelBepParser(files);
            case RSPEC -> new RspecJsonParser();
            case XCRESULT -> new XcresultJsonParser();
        };
    }

    /**
     * Detects the format of the report in {@code in} ({@link #detect}) and parses it with that
     * format's parser, handing each execution to {@code sink}.
     *
     * @return the format it was read as
     * @throws ReportException when the format cannot be told, or the report is malformed or exceeds a limit
     * @throws IOException     when {@code in} fails
     */
    public static ReportFormat parse(String report, InputStream in, ParseLimits limits, ReferencedFiles files, ExecutionSink sink)
        throws ReportException, IOException {
        BufferedInputStream buffered = new BufferedInputStream(in);
        ReportFormat format = detect(report, buffered);
        parser(format, files).parse(report, buffered, limits, sink);
        return format;
    }

    /** Where the content of {@code head} starts, after a UTF-8 byte order mark and whitespace; its length when there is none. */
    private static int firstContent(byte[] head) {
        int at = head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF ? 3 : 0;
        while (at < head.length && (head[at] == ' ' || head[at] == '\t' || head[at] == '\r' || head[at] == '\n')) {
            at++;
        }
        return at;
    }

    /**
     * The format the top-level keys of the JSON object at {@code head[start]} tell, the first
     * telling key deciding; empty when none does, with the keys read added to {@code keys}.
     */
    private static Optional<ReportFormat> jsonFormat(byte[] head, int start, List<String> keys) {
        try (JsonParser json = JsonReports.parser(new ByteArrayInputStream(head, start, head.length - start), ParseLimits.DEFAULT)) {
            json.nextToken();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String key = json.currentName();
                keys.add(key);
                JsonToken value = json.nextToken();
                if (key.equals("id") && value == JsonToken.START_OBJECT) {
                    return Optional.of(ReportFormat.BAZEL_BEP);
                }
                if (KEYS.containsKey(key)) {
                    return Optional.of(KEYS.get(key));
                }
                json.skipChildren();
            }
        } catch (IOException e) {
            // The peek ends inside a value, or what follows is not JSON: the keys read so far are all there is to go by.
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The first bytes from {@code start}, printable ASCII as it is and any other byte as {@code \xNN}. */
    private static String shown(byte[] head, int start) {
        StringBuilder shown = new StringBuilder();
        for (int i = start; i < Math.min(head.length, start + SHOWN_BYTES); i++) {
            int b = head[i] & 0xFF;
            shown.append(b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02X", b));
        }
        return shown.toString();
    }

    /** {@code keys} as a list, long ones and those past {@link #SHOWN_KEYS} cut. */
    private static String shown(List<String> keys) {
        List<String> shown = keys.stream().limit(SHOWN_KEYS)
            .map(k -> k.length() > SHOWN_KEY_CHARS ? k.substring(0, SHOWN_KEY_CHARS) + "…" : k)
            .collect(Collectors.toCollection(ArrayList::new));
        if (keys.size() > SHOWN_KEYS) {
            shown.add("…");
        }
        return shown.toString();
    }
}
