package dev.mainstay.reports;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One execution of one test: a single attempt, so a test retried twice is three executions with
 * attempts 1, 2 and 3. Texts are never null; an unknown one is empty. Message, stack trace and
 * output are excerpts bounded by {@link ParseLimits#maxTextChars()}.
 *
 * @param report     the report file it was read from, as the uploader named it
 * @param file       the test's source file, when the report says (e.g. {@code tests/test_api.py})
 * @param classname  the class or module, when the report has one
 * @param suites     the enclosing suites, outermost first (nested {@code <testsuite>}s, RSpec groups)
 * @param name       the test's name
 * @param variant    the run environment the report itself names, or empty; none of today's formats
 *                   names one (Bazel's configuration id is a hash that changes with any flag, so it is
 *                   not a variant). A test's identity joins the upload's variant (e.g. {@code linux})
 *                   and this one ({@link TestIdentity}, {@code docs/test-identity.md})
 * @param status     how it ended
 * @param attempt    1 for the first run, 2 for the first retry, …
 * @param duration   how long it took; zero when the report does not say
 * @param message    the failure or skip message
 * @param stackTrace the failure's stack trace or details
 * @param stdout     captured standard output
 * @param stderr     captured standard error
 * @param startedAt  when it started, when the report says
 */
public record TestExecution(String report, String file, String classname, List<String> suites, String name, String variant,
                            TestStatus status, int attempt, Duration duration, String message, String stackTrace, String stdout,
                            String stderr, Optional<Instant> startedAt) {

    public TestExecution {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(classname, "classname");
        suites = List.copyOf(suites);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(status, "status");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1: " + attempt);
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration cannot be negative: " + duration);
        }
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(stackTrace, "stackTrace");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
