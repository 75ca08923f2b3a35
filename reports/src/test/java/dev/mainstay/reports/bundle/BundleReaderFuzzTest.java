package dev.mainstay.reports.bundle;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mainstay.reports.ReportException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;

/**
 * Any bytes sent as a bundle end in metadata and files or a {@link BundleException} or
 * {@link ReportException} that says what is wrong: never another exception, a hang or unbounded
 * memory. Seeds (see the README beside them) run as regression tests in every build;
 * {@code JAZZER_FUZZ=1} fuzzes.
 */
class BundleReaderFuzzTest {

    private static final BundleLimits LIMITS = new BundleLimits(4 << 20, 100, 1 << 20, 1 << 20);

    @FuzzTest(maxDuration = "2m")
    void any_bundle_is_read_or_rejected_with_a_reason(byte[] input) throws IOException {
        try (BundleReader reader = new BundleReader(new ByteArrayInputStream(input), LIMITS)) {
            reader.metadata();
            for (Optional<BundleReader.Entry> e = reader.nextReport(); e.isPresent(); e = reader.nextReport()) {
                try {
                    e.get().content().readAllBytes();
                } catch (IOException failed) {
                    if (reader.failure().isEmpty()) {
                        throw new IllegalStateException("a failed read must leave the archive's failure", failed);
                    }
                }
            }
        } catch (BundleException | ReportException expected) {
            if (expected.getMessage() == null || expected.getMessage().isBlank()) {
                throw new IllegalStateException("a rejection must say what is wrong", expected);
            }
        }
    }
}
