package dev.mainstay.flaky.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mainstay.flaky.Outcome;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryReaderTest {

    static List<HistoryLine> read(String text) throws Exception {
        List<HistoryLine> lines = new ArrayList<>();
        new HistoryReader().read(new StringReader(text), lines::add);
        return lines;
    }

    @Test
    void reads_the_documented_format_and_reads_past_other_fields() throws Exception {
        List<HistoryLine> lines = read("""
            {"repo":"acme/web", "test":"LoginTest#rejects", "commit":"9f2c", "branch":"main", "job":"unit", "run":"123", "attempt":2, \
            "status":"failed", "at":"2026-10-01T12:00:00Z", "duration_ms":123, "upload":"u-1", "shard":{"index":3}, "tags":["x"]}

            {"repo":"acme/web", "test":"LoginTest#accepts", "commit":"9f2c", "branch":"main", "status":"skipped", "at":"2026-10-01T12:00:01Z"}
            """);

        assertEquals(2, lines.size(), "the blank line is skipped");
        HistoryLine first = lines.get(0);
        assertEquals("acme/web", first.repo());
        assertEquals("LoginTest#rejects", first.test());
        assertEquals("u-1", first.upload());
        assertEquals(2, first.execution().attempt());
        assertEquals(Outcome.FAILED, first.execution().outcome());
        assertEquals(Instant.parse("2026-10-01T12:00:00Z"), first.execution().at());
        assertEquals("line:1", first.execution().ref());
        assertEquals("line:3", lines.get(1).execution().ref());
        assertEquals(1, lines.get(1).execution().attempt(), "attempt defaults to 1");
        assertNull(lines.get(1).upload());
    }

    @Test
    void a_bad_line_is_reported_by_number_with_what_is_wrong() {
        String good = "{\"repo\":\"r\",\"test\":\"t\",\"commit\":\"c\",\"branch\":\"main\",\"status\":\"passed\",\"at\":\"2026-10-01T12:00:00Z\"}\n";
        assertEquals("line 2: missing \"commit\"", assertThrows(HistoryException.class,
            () -> read(good + "{\"repo\":\"r\",\"test\":\"t\",\"branch\":\"main\",\"status\":\"passed\",\"at\":\"2026-10-01T12:00:00Z\"}"))
            .getMessage());
        assertEquals("line 2: status must be passed, failed, error or skipped, not 'flaky'", assertThrows(HistoryException.class,
            () -> read(good + good.replace("passed", "flaky"))).getMessage());
        assertEquals("line 1: at must be an ISO-8601 instant like 2026-10-01T12:00:00Z, not 'yesterday'",
            assertThrows(HistoryException.class, () -> read(good.replace("2026-10-01T12:00:00Z", "yesterday"))).getMessage());
        assertEquals("line 1: attempt must be at least 1: 0",
            assertThrows(HistoryException.class, () -> read(good.replace("{", "{\"attempt\":0,"))).getMessage());
        assertEquals("line 1: not a JSON object", assertThrows(HistoryException.class, () -> read("[1,2]")).getMessage());
        assertEquals(1, assertThrows(HistoryException.class, () -> read("{\"repo\":")).line());
    }
}
