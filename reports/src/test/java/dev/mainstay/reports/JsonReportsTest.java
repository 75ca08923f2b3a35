package dev.mainstay.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The JSON reading every JSON format shares: who owns the stream, and how its failures are worded. */
class JsonReportsTest {

    private static final ParseLimits SMALL = new ParseLimits(1 << 20, 8, 256, 256);

    /** Reads every value, keeping none. */
    private static final JsonReports.Reading TO_THE_END = json -> {
        while (json.nextToken() != null) {
            json.skipChildren();
        }
    };

    /** Remembers whether it was closed. */
    private static final class Watched extends FilterInputStream {
        boolean closed;

        Watched(String text) {
            super(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void the_report_stream_is_left_open_for_its_caller_whether_read_or_rejected() throws Exception {
        Watched read = new Watched("{\"a\": 1}");
        JsonReports.read("r.json", read, SMALL, TO_THE_END);
        assertFalse(read.closed, "read to the end");

        Watched rejected = new Watched("{\"a\": ");
        assertThrows(ReportException.class, () -> JsonReports.read("r.json", rejected, SMALL, TO_THE_END));
        assertFalse(rejected.closed, "rejected");
    }

    @Test
    void a_limit_is_named_in_the_limits_terms_at_the_line_where_it_was_passed() {
        String deep = "{\"a\": 1,\n\"b\": " + "[".repeat(10) + "]".repeat(10) + "}";
        ReportException e = assertThrows(ReportException.class,
            () -> JsonReports.read("r.json", new ByteArrayInputStream(deep.getBytes(StandardCharsets.UTF_8)), SMALL, TO_THE_END));
        assertEquals("r.json:2: beyond a limit: nested deeper than 8 levels", e.getMessage());
    }

    @Test
    void a_token_is_named_for_people() {
        assertEquals("an object", JsonReports.kind(JsonToken.START_OBJECT));
        assertEquals("a number", JsonReports.kind(JsonToken.VALUE_NUMBER_FLOAT));
        assertEquals("}", JsonReports.kind(JsonToken.END_OBJECT));
    }
}
