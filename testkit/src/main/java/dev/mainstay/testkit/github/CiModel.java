package dev.mainstay.testkit.github;

import dev.mainstay.testkit.github.SimulatedRepository.PullState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A CI system that tests merge-queue candidates: when a branch under {@code mainstay/queue/} is
 * created or moved, it "runs" for that commit and, after {@link #duration(Duration)}, unless the branch
 * moved on meanwhile (a superseded run is cancelled), reports one
 * check run per required check of the target branch, a commit status, their webhooks, and the
 * run's JUnit XML to the {@link ResultSink}. The outcome depends on the pull requests the
 * candidate contains (their heads are ancestors of it, or a commit of it names {@code (#n)} as a
 * squash does): it fails when any of them fails.
 */
public final class CiModel {

    /** The ref prefix of merge-queue candidates that CI runs on. */
    public static final String CANDIDATES = "refs/heads/mainstay/queue/";
    /** The commit-status context the CI sets beside its check runs. */
    public static final String STATUS_CONTEXT = "simulated-ci/junit";

    /** How a pull request behaves in CI. */
    public sealed interface Outcome {
        /** Its tests pass. */
        record Pass() implements Outcome {
        }

        /** These tests fail every time. */
        record Fail(List<String> tests) implements Outcome {
            public Fail {
                tests = List.copyOf(tests);
            }
        }

        /** {@code test} fails in the first {@code failures} runs that contain the pull request, then passes. */
        record Flaky(String test, int failures) implements Outcome {
        }
    }

    /**
     * One finished CI run.
     *
     * @param repository   {@code owner/name}
     * @param branch       the candidate branch, e.g. {@code mainstay/queue/main/7}
     * @param sha          the commit tested
     * @param pullRequests the pull requests the candidate contains
     * @param passed       whether every test passed
     * @param failingTests the tests that failed
     */
    public record Run(String repository, String branch, String sha, List<Integer> pullRequests, boolean passed,
                      List<String> failingTests) {
    }

    private final GitHubSimulator simulator;
    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Integer> runsContaining = new ConcurrentHashMap<>();
    private final List<Run> runs = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "github-simulator-ci");
        t.setDaemon(true);
        return t;
    });
    private volatile Duration duration = Duration.ofMillis(50);
    private volatile ResultSink sink = (run, junit) -> { };

    CiModel(GitHubSimulator simulator) {
        this.simulator = simulator;
    }

    /** How long each run takes. */
    public CiModel duration(Duration duration) {
        this.duration = duration;
        return this;
    }

    /** Where each run's JUnit XML goes. */
    public CiModel resultSink(ResultSink sink) {
        this.sink = sink;
        return this;
    }

    /** How pull request {@code pr} of {@code repo} behaves; pull requests without one pass. */
    public CiModel outcome(SimulatedRepository repo, int pr, Outcome outcome) {
        outcomes.put(repo.fullName() + "#" + pr, outcome);
        return this;
    }

    /** The finished runs, oldest first. */
    public List<Run> runs() {
        return List.copyOf(runs);
    }

    void candidateMoved(SimulatedRepository repo, String ref, ObjectId sha) {
        scheduler.schedule(() -> run(repo, ref, sha), duration.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run(SimulatedRepository repo, String ref, ObjectId sha) {
        if (!repo.git.resolve(ref).map(sha::equals).orElse(false)) {
            return; // superseded: like CI that cancels a run when its branch moves on
        }
        String branch = ref.substring("refs/heads/".length());
        String target = targetOf(branch);
        List<Integer> contained = containedPullRequests(repo, target, sha);
        List<String> failing = new ArrayList<>();
        List<String> passing = new ArrayList<>();
        for (int pr : contained) {
            String key = repo.fullName() + "#" + pr;
            int nth = runsContaining.merge(key, 1, Integer::sum);
            switch (outcomes.getOrDefault(key, new Outcome.Pass())) {
                case Outcome.Pass pass -> passing.add("pr" + pr + ".Checks.passes");
                case Outcome.Fail fail -> failing.addAll(fail.tests());
                case Outcome.Flaky flaky -> (nth <= flaky.failures() ? failing : passing).add(flaky.test());
            }
        }
        boolean passed = failing.isEmpty();
        Run run = new Run(repo.fullName(), branch, sha.name(), contained, passed, failing);
        List<String> checks;
        synchronized (repo) {
            checks = repo.requiredChecks.getOrDefault(target, List.of("ci"));
        }
        simulator.completeChecks(repo, branch, sha.name(), checks, passed,
            passed ? "All tests passed" : failing.size() + " failing: " + String.join(", ", failing));
        runs.add(run);
        sink.accept(run, junit(run, passing, failing));
    }

    /** {@code mainstay/queue/<target>/<id>}: the target may hold slashes, the id does not. */
    static String targetOf(String branch) {
        String rest = branch.substring("mainstay/queue/".length());
        int slash = rest.lastIndexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    private static List<Integer> containedPullRequests(SimulatedRepository repo, String target, ObjectId sha) {
        ObjectId base = repo.git.resolve(target).orElse(null);
        List<RevCommit> commits = repo.git.commitsBetween(base, sha);
        Set<Integer> found = new LinkedHashSet<>();
        synchronized (repo) {
            for (PullState pr : repo.pulls.values()) {
                if (pr.closed || pr.merged) {
                    continue;
                }
                ObjectId head = repo.git.resolve(pr.headRef).orElse(null);
                for (RevCommit c : commits) {
                    if (c.equals(head) || c.getShortMessage().endsWith("(#" + pr.number + ")")) {
                        found.add(pr.number);
                    }
                }
            }
        }
        return List.copyOf(found);
    }

    /** The run's report as Maven Surefire would write it: a {@code <testsuite>} per test class, named after the class. */
    private static String junit(Run run, List<String> passing, List<String> failing) {
        Map<String, List<String>> byClass = new java.util.TreeMap<>();
        for (String test : passing) {
            byClass.computeIfAbsent(classOf(test), c -> new ArrayList<>()).add(testcase(test) + "/>\n");
        }
        for (String test : failing) {
            byClass.computeIfAbsent(classOf(test), c -> new ArrayList<>()).add(testcase(test) + "><failure message=\"assertion failed\">"
                + "expected true in " + escape(run.sha()) + "</failure></testcase>\n");
        }
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
        byClass.forEach((classname, cases) -> {
            xml.append("<testsuite name=\"").append(escape(classname)).append("\" tests=\"").append(cases.size()).append("\">\n");
            cases.forEach(xml::append);
            xml.append("</testsuite>\n");
        });
        return xml.append("</testsuites>\n").toString();
    }

    private static String classOf(String test) {
        int dot = test.lastIndexOf('.');
        return dot < 0 ? "Tests" : test.substring(0, dot);
    }

    /** {@code a.b.C.method} as a testcase element without its end. */
    private static String testcase(String test) {
        int dot = test.lastIndexOf('.');
        String classname = classOf(test);
        String name = dot < 0 ? test : test.substring(dot + 1);
        return "  <testcase classname=\"" + escape(classname) + "\" name=\"" + escape(name) + "\" time=\"0.01\"";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;");
    }

    void close() {
        scheduler.shutdownNow();
    }
}
