package dev.mainstay.reports.bazel;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mainstay.reports.ParseLimits;
import dev.mainstay.reports.ReferencedFiles;
import dev.mainstay.reports.ReportException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A BEP file comes from outside (any CI runner may upload one): any bytes must end in
 * executions or a {@link ReportException} with a reason, never in another exception or a hang.
 * Every URI is answered with a small test.xml (a broken one when the URI names {@code broken}),
 * so the hand-over to the JUnit parser and its fallback are fuzzed too. In a normal build the
 * seeds in {@code BazelBepFuzzTestInputs} and the findings committed beside them run as
 * regression tests; {@code JAZZER_FUZZ=1} fuzzes from them.
 */
class BazelBepFuzzTest {

    /** Small enough for the fuzzer to reach every limit. */
    private static final ParseLimits LIMITS = new ParseLimits(1 << 20, 24, 2048, 2048);

    private static final byte[] TEST_XML = """
        <testsuites><testsuite name="HelloTest" timestamp="2024-12-10T06:17:23.970">
          <testcase name="GreetsTheWorld" classname="HelloTest" time="0.001"/>
          <testcase name="GreetsBazel" classname="HelloTest"><failure message="expected equality">trace</failure></testcase>
          <testcase name="GreetsBazel" classname="HelloTest"/>
        </testsuite></testsuites>""".getBytes(StandardCharsets.UTF_8);

    private static final byte[] BROKEN_XML = "<testsuites><testsuite name=\"s\"><testcase name=\"cut".getBytes(StandardCharsets.UTF_8);

    private static final ReferencedFiles FILES = uri -> Optional.of(new ByteArrayInputStream(
        uri.toString().contains("broken") ? BROKEN_XML : TEST_XML));

    @FuzzTest(maxDuration = "2m")
    void any_input_is_parsed_or_rejected_with_a_reason(byte[] input) throws IOException {
        try {
            new BazelBepParser(FILES).parse("fuzzed.json", new ByteArrayInputStream(input), LIMITS,
                e -> assertFalse(e.name().isBlank(), "every execution has a name: " + e));
        } catch (ReportException e) {
            assertFalse(e.problem().isBlank(), "a rejection names what is wrong: " + e.getMessage());
        }
    }
}
