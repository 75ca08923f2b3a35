package dev.mainstay.flaky;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Optional;

/**
 * Any message and stack trace give a signature of bounded size, or none, and never an exception; the same input
 * gives the same signature. Seeds beside the test run as regression tests in every build; {@code JAZZER_FUZZ=1} fuzzes.
 */
class FailureSignatureFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void any_failure_text_gives_a_bounded_signature_or_none(FuzzedDataProvider data) {
        String message = data.consumeString(FailureSignature.MAX_INPUT_CHARS * 2);
        String stackTrace = data.consumeRemainingAsString();
        Optional<FailureSignature> signature = FailureSignature.of(message, stackTrace);
        if (signature.isPresent()) {
            FailureSignature s = signature.get();
            if (s.text().isEmpty() || s.text().length() > FailureSignature.MAX_TEXT_CHARS || !s.hash().matches("[0-9a-f]{16}")) {
                throw new IllegalStateException("an unbounded or malformed signature: " + s.text().length() + " characters, " + s.hash());
            }
            if (!FailureSignature.of(message, stackTrace).equals(signature)) {
                throw new IllegalStateException("the same failure gave two signatures");
            }
        }
    }
}
