package dev.mainstay.audit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;

/**
 * The export reader takes files from outside (an auditor's copy, possibly tampered with): any
 * bytes must end in a verdict, intact or broken with a reason, never in an exception or a hang.
 * In a normal build the seeds in {@code ExportFileFuzzTestInputs} (a real export, a tampered
 * one, a header alone) and the findings committed beside them run as regression tests;
 * {@code JAZZER_FUZZ=1} fuzzes from them.
 */
class ExportFileFuzzTest {

    private static final PublicKey KEY = SigningKey.readPublic(ExportFileTest.SEED_KEY);

    @FuzzTest(maxDuration = "2m")
    void any_input_is_reported_intact_or_broken_with_a_reason(byte[] input) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(input), StandardCharsets.UTF_8));
        Verifier.Result result = ExportFile.verify(in, "fuzzed.jsonl", KEY);
        if (result.intact()) {
            assertTrue(result.problem().isEmpty(), result.report());
        } else {
            assertFalse(result.problem().isBlank(), "a broken export names what is wrong: " + result.report());
        }
        assertFalse(result.report().isBlank());
    }
}
