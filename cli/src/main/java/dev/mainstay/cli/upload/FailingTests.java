package dev.mainstay.cli.upload;

import dev.mainstay.reports.ExecutionSink;
import dev.mainstay.reports.TestExecution;
import dev.mainstay.reports.TestIdentity;
import dev.mainstay.reports.TestStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tests that failed in the reports read here: a test fails when an execution of it failed or
 * ended in an error and none passed (a test that passed on a retry did not fail the run). Only the
 * failing tests are kept whole; a passing one is remembered as a key.
 */
final class FailingTests implements ExecutionSink {

    /** What names a test within an upload (the parts of {@link TestIdentity} a report gives). */
    private record Key(String file, String classname, List<String> suites, String name, String variant) {
        static Key of(TestExecution e) {
            return new Key(e.file(), e.classname(), e.suites(), e.name(), e.variant());
        }
    }

    private final Map<Key, TestExecution> failed = new LinkedHashMap<>();
    private final Set<Key> passed = new HashSet<>();

    @Override
    public void accept(TestExecution e) {
        Key key = Key.of(e);
        if (e.status() == TestStatus.PASSED) {
            passed.add(key);
        } else if (e.status() == TestStatus.FAILED || e.status() == TestStatus.ERROR) {
            // Texts are dropped: only the identity is needed, and a big run may fail many tests.
            failed.putIfAbsent(key, new TestExecution(e.report(), e.file(), e.classname(), e.suites(), e.name(), e.variant(), e.status(),
                e.attempt(), Duration.ZERO, "", "", "", "", Optional.empty()));
        }
    }

    /**
     * A failing test.
     *
     * @param id   its id in {@code org}'s {@code repo}
     * @param name {@code classname › name}, for messages
     */
    record Failure(String id, String name) {
    }

    /** The failing tests, identified as the appliance identifies {@code org}'s {@code repo}'s tests uploaded with {@code variant}. */
    List<Failure> failures(String org, String repo, String variant) {
        TestIdentity.Upload identities = new TestIdentity.Upload(org, repo, variant);
        List<Failure> out = new ArrayList<>();
        for (Map.Entry<Key, TestExecution> f : failed.entrySet()) {
            if (!passed.contains(f.getKey())) {
                TestIdentity id = identities.of(f.getValue());
                out.add(new Failure(id.id(), id.classname().isEmpty() ? id.name() : id.classname() + " › " + id.name()));
            }
        }
        return out;
    }

    /** How many tests failed; no org is needed to count them. */
    int count() {
        return (int) failed.keySet().stream().filter(k -> !passed.contains(k)).count();
    }
}
