package dev.mainstay.cli.upload;

import dev.mainstay.cli.command.Arguments;
import dev.mainstay.cli.command.Context;
import dev.mainstay.cli.command.Option;
import dev.mainstay.cli.command.UsageException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Whether a failed test run fails the CI step: it does not when every test that failed is
 * quarantined; then the step exits 0, else with the test command's own exit code. Whenever the
 * answer is not certain (no reports, a failure no report explains, no quarantine list) it fails
 * safe: the test command's exit code stands, and the message says why.
 */
final class QuarantineDecision {

    static final List<Option> OPTIONS = List.of(
        Option.one("quarantine-cache", "FILE", "keep a signed copy of the quarantine list here, used when the appliance cannot be reached"),
        Option.one("quarantine-cache-hours", "N", "how long that copy may stand in for the appliance (default 24, at most 168)"));

    private final Path cacheFile;
    private final Duration lifetime;

    private QuarantineDecision(Path cacheFile, Duration lifetime) {
        this.cacheFile = cacheFile;
        this.lifetime = lifetime;
    }

    /** Reads {@code --quarantine-cache} and {@code --quarantine-cache-hours}. */
    static QuarantineDecision from(Context context, Arguments arguments) throws UsageException {
        String hours = arguments.value("quarantine-cache-hours").orElse(Long.toString(QuarantineCache.DEFAULT_LIFETIME.toHours()));
        if (!hours.matches("\\d{1,3}") || Integer.parseInt(hours) < 1 || Integer.parseInt(hours) > 168) {
            throw new UsageException("--quarantine-cache-hours must be a whole number of hours from 1 to 168, not '" + hours + "'");
        }
        if (arguments.has("quarantine-cache-hours") && !arguments.has("quarantine-cache")) {
            throw new UsageException("--quarantine-cache-hours needs --quarantine-cache FILE");
        }
        return new QuarantineDecision(arguments.value("quarantine-cache").map(context::resolve).orElse(null),
            Duration.ofHours(Integer.parseInt(hours)));
    }

    /**
     * The exit status for a test command that ended with {@code exit}, whose reports showed {@code failing}.
     *
     * @param repo    the repository, {@code owner/name}
     * @param variant the upload's variant (part of a test's identity)
     */
    int decide(Context context, Destination destination, int exit, FailingTests failing, String repo, String variant)
        throws InterruptedException {
        if (exit == 0) {
            return 0;
        }
        if (failing.count() == 0) {
            return failSafe(context, exit, "the tests exited with " + exit + " but no test failed in the reports: a build error, a crash"
                + " or a failure outside the reports");
        }
        if (repo.isEmpty()) {
            return failSafe(context, exit, "the repository is not known (pass --repo owner/name), so the quarantine list cannot be read");
        }
        QuarantineSource.Result result = QuarantineSource.fetch(context, destination, repo, Optional.ofNullable(cacheFile), lifetime);
        if (result instanceof QuarantineSource.Missing m) {
            return failSafe(context, exit, "the quarantine list could not be read: " + m.why());
        }
        QuarantineSource.Found found = (QuarantineSource.Found) result;
        Instant now = context.clock().instant();
        List<FailingTests.Failure> failures = failing.failures(found.list().org(), repo, variant);
        List<FailingTests.Failure> real = failures.stream().filter(f -> found.list().covering(f.id(), now).isEmpty()).toList();
        String of = failures.size() == 1 ? "1 test failed" : failures.size() + " tests failed";
        if (!found.from().equals("the appliance")) {
            context.err().println("mainstay: the quarantine list is " + found.from());
        }
        for (FailingTests.Failure f : failures) {
            Optional<QuarantineList.Entry> q = found.list().covering(f.id(), now);
            context.err().println(q.isPresent()
                ? "  quarantined  " + f.name() + " (" + q.get().reason() + (q.get().owner().isEmpty() ? "" : "; owner " + q.get().owner())
                    + q.get().expiresAt().map(e -> "; until " + e).orElse("") + ")"
                : "  FAILED       " + f.name());
        }
        if (real.isEmpty()) {
            context.err().println("mainstay: " + of + ", and " + (failures.size() == 1 ? "it is" : "all are")
                + " quarantined: exiting 0 instead of " + exit);
            return 0;
        }
        context.err().println("mainstay: " + of + "; " + real.size() + " of them " + (real.size() == 1 ? "is" : "are")
            + " not quarantined: exiting " + exit + ", the tests' own exit code");
        return exit;
    }

    /** Says why the answer is uncertain and returns the tests' own exit code. */
    static int failSafe(Context context, int exit, String why) {
        context.err().println("mainstay: " + why + "; failing safe with the tests' own exit code " + exit);
        return exit;
    }
}
