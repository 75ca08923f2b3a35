package dev.mainstay.platform.flaky;

import dev.mainstay.audit.AuditEvent;
import dev.mainstay.platform.auditing.AuditTrail;
import dev.mainstay.platform.crypto.FieldCipher;
import dev.mainstay.platform.crypto.FieldContext;
import dev.mainstay.platform.identity.Caller;
import dev.mainstay.platform.ingest.ExecutionWriter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.hibernate.Session;

/**
 * What the flaky-test pages show, read in one transaction per page: counts by status, the daily
 * failures of the last {@value #TREND_DAYS} days, the tests that cost the most, the test list, and
 * one test's history. Failure text is decrypted only for a viewer who may read failures, and each
 * such view is recorded in the audit trail. The SQL is {@link DashboardQueries}'s, so that it can be
 * run and timed outside the container; decryption and the audit record stay here.
 */
@ApplicationScoped
public class FlakyDashboard {

    /** Days the overview's trend and impact cover. */
    public static final int TREND_DAYS = 45;
    /** Tests per page of the list. */
    public static final int PAGE_SIZE = 50;
    /** A test's newest executions on its page. */
    public static final int EXECUTIONS = 100;
    /** A test's newest changes of verdict on its page. */
    public static final int TRANSITIONS = 50;
    /** A test's newest failures whose text its page shows. */
    static final int FAILURE_TEXTS = 10;

    @PersistenceContext(unitName = "mainstay")
    EntityManager em;

    private final FieldCipher cipher;
    private final AuditTrail audit;
    private final FailureClusters clusters;

    @Inject
    FlakyDashboard(FieldCipher cipher, AuditTrail audit, FailureClusters clusters) {
        this.cipher = cipher;
        this.audit = audit;
        this.clusters = clusters;
    }

    /** The number of tests per status, and how many are quarantined. */
    public record Counts(long healthy, long flaky, long broken, long quarantined) {
        public long total() {
            return healthy + flaky + broken;
        }
    }

    /**
     * One day's failed executions, by what detection calls the failing test now.
     *
     * @param infrastructure the failed executions in uploads flagged as probable infrastructure
     *                       failures (most of their tests failed): counted apart and left out of
     *                       {@link #total()}, as detection leaves them out, so that one broken
     *                       runner's thousands of failures neither dwarf the other days nor read as
     *                       failing tests
     */
    public record Day(LocalDate day, long flaky, long broken, long other, long infrastructure) {
        /** The failures charted: those of tests, not of infrastructure. */
        public long total() {
            return flaky + broken + other;
        }
    }

    /** A test's row in the list and the impact table. */
    public record TestRow(String testId, String repo, String file, String classname, String name, String variant, String status,
                          double score, double confidence, List<String> monitors, Instant lastSeen, boolean quarantined,
                          long failures, double failedSeconds, long pullRequests) {
        /** {@code classname › name}, or the name alone. */
        public String title() {
            return classname.isEmpty() ? name : classname + " › " + name;
        }

        /** The score as a percentage, for people. */
        public String scoreText() {
            return String.format(Locale.ROOT, "%.0f%%", score * 100);
        }

        /** CI time lost to failures, for people. */
        public String failedTimeText() {
            return Charts.duration(Duration.ofMillis((long) (failedSeconds * 1000)));
        }
    }

    /** One page of the test list. */
    public record TestPage(List<TestRow> rows, long total, int page, int pages) {
    }

    /** What the list is narrowed to and ordered by. */
    public record Filter(Optional<String> repo, Optional<String> status, Optional<String> search, boolean quarantinedOnly, String sort) {
        public static final List<String> SORTS = List.of("score", "last_seen", "name");
        /** The verdicts a list may be narrowed to, in the order pages offer them. */
        public static final List<String> STATUSES = List.of("flaky", "broken", "healthy");
    }

    /** A change of verdict. */
    public record Transition(Instant at, String from, String to, List<String> monitors, int evidence) {
    }

    /**
     * One execution of the test.
     *
     * @param attempt    the try within its report (the test runner's retries: Surefire's
     *                   rerunFailingTestsCount, Bazel's flaky_test_attempts)
     * @param runAttempt the attempt of the CI run (re-runs of the whole job, GitHub's run_attempt); 0 when not given
     * @param message    the failure message, when shown; empty when none or masked
     * @param stackTrace the stack trace, likewise
     * @param masked     true when the viewer may not read failure text and there is some
     */
    public record Run(String ref, Instant at, String commit, String branch, String job, String jobUrl, int attempt, int runAttempt,
                      String status, Duration duration, String message, String stackTrace, boolean masked) {
        public String shortCommit() {
            return commit.length() > 10 ? commit.substring(0, 10) : commit;
        }

        public String durationText() {
            return Charts.duration(duration);
        }

        public boolean failed() {
            return status.equals("failed") || status.equals("error");
        }
    }

    /** Everything the test's page shows. */
    public record Detail(TestRow test, Optional<Quarantine> quarantine, List<Transition> transitions, List<Run> runs, boolean textShown,
                         List<FailureClusters.Cluster> clusters) {
    }

    /** The org's counts, of one repository or all. */
    @Transactional
    public Counts counts(String org, Optional<String> repo, Instant now) {
        return work(c -> DashboardQueries.counts(c, org, repo, now));
    }

    /** Failed executions per UTC day of the last {@value #TREND_DAYS} days (every day present, zero when none). */
    @Transactional
    public List<Day> trend(String org, Optional<String> repo, Instant now) {
        return work(c -> DashboardQueries.trend(c, org, repo, now, TREND_DAYS));
    }

    /**
     * The tests whose failures cost the most in the last {@value #TREND_DAYS} days: failures times the
     * CI time they took, with the pull requests they hit.
     */
    @Transactional
    public List<TestRow> impact(String org, Optional<String> repo, Instant now, int limit) {
        return work(c -> DashboardQueries.impact(c, org, repo, now, TREND_DAYS, limit));
    }

    /** One page (from 1) of the org's tests, narrowed by {@code filter}. */
    @Transactional
    public TestPage tests(String org, Filter filter, int page, Instant now) {
        return work(c -> DashboardQueries.tests(c, org, filter, page, PAGE_SIZE, now));
    }

    /**
     * The page of test {@code testId}: its verdict, quarantine, transitions, newest executions and clusters. The
     * newest failures' messages and stack traces are decrypted when {@code viewer} may read failures, and that view is
     * recorded in the audit trail; otherwise they are masked.
     */
    @Transactional
    public Optional<Detail> detail(Caller viewer, String org, String testId, Instant now) {
        Optional<TestRow> row = work(c -> DashboardQueries.test(c, org, testId, now));
        if (row.isEmpty()) {
            return Optional.empty();
        }
        boolean mayRead = clusters.mayReadFailures(viewer, org);
        List<Transition> transitions = work(c -> DashboardQueries.transitions(c, org, testId, TRANSITIONS));
        List<Run> runs = runs(org, work(c -> DashboardQueries.executions(c, org, testId, EXECUTIONS)), mayRead);
        List<String> revealed = runs.stream().filter(r -> !r.message().isEmpty() || !r.stackTrace().isEmpty()).map(Run::ref).toList();
        if (mayRead && !revealed.isEmpty()) {
            audit.record(viewer.actor(), org, FailureClusters.VIEW_ACTION, new AuditEvent.Target("test", testId), AuditEvent.Outcome.SUCCESS,
                Map.of("repo", row.get().repo(), "executions", String.join(",", revealed)));
        }
        Optional<Quarantine> quarantine = work(c -> QuarantineStore.find(c, org, testId, now));
        List<FailureClusters.Cluster> ofTest = clusters.ofTest(viewer, org, testId, now.minus(Duration.ofDays(TREND_DAYS)));
        return Optional.of(new Detail(row.get(), quarantine, transitions, runs, mayRead, ofTest));
    }

    /** The executions as the page shows them: the newest {@value #FAILURE_TEXTS} failures' text opened when the viewer may read it. */
    private List<Run> runs(String org, List<DashboardQueries.Execution> executions, boolean mayRead) {
        List<Run> out = new ArrayList<>();
        int texts = 0;
        for (DashboardQueries.Execution e : executions) {
            boolean hasText = e.message() != null || e.stackTrace() != null;
            String messageText = "";
            String stackText = "";
            if (hasText && mayRead && texts < FAILURE_TEXTS) {
                messageText = decrypt(org, "message", e.ref(), e.message());
                stackText = decrypt(org, "stack_trace", e.ref(), e.stackTrace());
                texts++;
            }
            out.add(new Run(e.ref(), e.at(), e.commit(), e.branch(), e.job(), e.jobUrl(), e.attempt(), e.runAttempt(), e.status(),
                Duration.ofNanos(e.durationMicros() * 1000), messageText, stackText, hasText && !mayRead));
        }
        return out;
    }

    private String decrypt(String org, String column, String ref, byte[] sealed) {
        return sealed == null ? "" : cipher.decryptString(new FieldContext(org, ExecutionWriter.PURPOSE, ExecutionWriter.TABLE, column, ref), sealed);
    }

    private interface Work<T> {
        T on(Connection c) throws SQLException;
    }

    private <T> T work(Work<T> work) {
        return em.unwrap(Session.class).doReturningWork(work::on);
    }
}
