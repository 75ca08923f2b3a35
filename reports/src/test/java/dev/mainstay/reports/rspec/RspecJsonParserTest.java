package dev.mainstay.reports.rspec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.reports.Corpus;
import dev.mainstay.reports.ParseLimits;
import dev.mainstay.reports.ReportException;
import dev.mainstay.reports.ReportSummary;
import dev.mainstay.reports.TestExecution;
import dev.mainstay.reports.TestStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RSpec's JSON formatter output: the corpus files, retries, load errors and hostile input. */
class RspecJsonParserTest {

    private static List<TestExecution> parse(String json, ParseLimits limits) throws IOException, ReportException {
        List<TestExecution> all = new ArrayList<>();
        new RspecJsonParser().parse("rspec.json", new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), limits, all::add);
        return all;
    }

    private static String rejected(String json) {
        return assertThrows(ReportException.class, () -> parse(json, ParseLimits.DEFAULT)).getMessage();
    }

    @Test
    void the_corpus_files_parse_to_their_counts() throws Exception {
        assertEquals(new ReportSummary(0, 0, 0, 0, 0, 0),
            Corpus.summary(Corpus.parse(new RspecJsonParser(), Corpus.file("rspec/dorny_empty_rspec-json.json"))));
        assertEquals(new ReportSummary(3, 1, 1, 0, 1, 3),
            Corpus.summary(Corpus.parse(new RspecJsonParser(), Corpus.file("rspec/dorny_rspec-json.json"))));
    }

    @Test
    void an_example_is_named_by_its_full_description_in_its_file_with_the_exception_as_message_and_trace() throws Exception {
        List<TestExecution> runs = Corpus.parse(new RspecJsonParser(), Corpus.file("rspec/dorny_rspec-json.json"));

        TestExecution failed = runs.get(1);
        assertEquals("spec/config/check_env_vars_spec.rb", failed.file(), "the leading ./ is dropped");
        assertEquals("CheckEnvVars#call when all env vars are defined behaves like success load fails in assertion", failed.name());
        assertEquals(TestStatus.FAILED, failed.status());
        assertEquals(Duration.ofNanos(4_411_051), failed.duration());
        assertTrue(failed.message().startsWith("(#ActiveSupport::BroadcastLogger:0x00007f1007fedf58).debug("), failed.message());
        assertTrue(failed.stackTrace().startsWith("RSpec::Mocks::MockExpectationError: "), failed.stackTrace());
        assertTrue(failed.stackTrace().contains("./spec/config/check_env_vars_spec.rb:19:in `block (4 levels)"), failed.stackTrace());
        TestExecution pending = runs.get(2);
        assertEquals(TestStatus.SKIPPED, pending.status());
        assertEquals("Temporarily skipped with xit", pending.message());
        assertEquals("", pending.stackTrace());
    }

    @Test
    void a_repeated_example_is_a_retry_and_errors_outside_examples_are_one_error() throws Exception {
        List<TestExecution> runs = parse("""
            {"version":"3.13.0","messages":["An error occurred while loading ./spec/broken_spec.rb.","NameError: uninitialized constant Foo"],
             "examples":[
              {"id":"./spec/a_spec.rb[1:1]","full_description":"A works","status":"failed","file_path":"./spec/a_spec.rb","run_time":0.5,
               "exception":{"class":"RuntimeError","message":"flake","backtrace":["./spec/a_spec.rb:3"]}},
              {"id":"./spec/a_spec.rb[1:1]","full_description":"A works","status":"passed","file_path":"./spec/a_spec.rb","run_time":0.25}],
             "summary":{"example_count":1,"errors_outside_of_examples_count":1,"future_field":{"x":[1,2]}}}""", ParseLimits.DEFAULT);

        assertEquals(List.of("1 FAILED A works", "2 PASSED A works", "1 ERROR (errors outside of examples)"),
            runs.stream().map(r -> r.attempt() + " " + r.status() + " " + r.name()).toList());
        assertTrue(runs.get(2).message().contains("NameError: uninitialized constant Foo"), runs.get(2).message());
    }

    @Test
    void what_is_not_rspec_json_or_exceeds_a_limit_is_rejected_naming_what() {
        assertEquals("rspec.json:1: not RSpec JSON: it must be one object with an \"examples\" array", rejected("[1, 2]"));
        assertEquals("rspec.json:1: not RSpec JSON: there is no \"examples\" array", rejected("{\"version\": \"3.13.0\"}"));
        assertEquals("rspec.json:1: an example's \"status\" is 'exploded', not passed, failed or pending",
            rejected("{\"examples\": [{\"full_description\": \"x\", \"status\": \"exploded\"}]}"));
        assertTrue(rejected("{\"examples\": [{\"full_description\": \"x\", ").startsWith("rspec.json:1: not valid JSON: Unexpected end-of-input"));
        ParseLimits small = new ParseLimits(4096, 8, 256, 256);
        String deep = "{\"examples\": [], \"x\": " + "[".repeat(20) + "]".repeat(20) + "}";
        assertEquals("rspec.json:1: beyond a limit: nested deeper than 8 levels", assertThrows(ReportException.class, () -> parse(deep, small)).getMessage());
        String longText = "{\"examples\": [{\"full_description\": \"" + "x".repeat(1000) + "\", \"status\": \"passed\"}]}";
        assertEquals("rspec.json:1: beyond a limit: a string longer than 256 characters",
            assertThrows(ReportException.class, () -> parse(longText, small)).getMessage());
        String big = "{\"examples\": [" + "{\"status\": \"passed\"},".repeat(500) + "{\"status\": \"passed\"}]}";
        assertEquals("rspec.json: larger than the limit of 4096 bytes",
            assertThrows(ReportException.class, () -> parse(big, small)).getMessage());
    }
}
