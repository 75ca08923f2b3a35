package dev.mainstay.reports.xcresult;

import dev.mainstay.reports.TestExecution;
import dev.mainstay.reports.TestStatus;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One execution of a test case, read to its end, waiting until the names of the nodes around it
 * are known. It holds the node around its test case, not a copy of their names: those nodes stay
 * in memory while it waits anyway. Each bundle, suite, device or configuration around it adds
 * its name to the suites, outermost first, and the innermost suite is the classname.
 */
final class CaseRun {

    private final TestNode around;
    private final String file;
    private final String name;
    private final List<String> places;
    private final TestStatus status;
    private final int attempt;
    private final Duration duration;
    private final String message;
    private final String stackTrace;

    private CaseRun(TestNode around, String file, String name, List<String> places, TestStatus status, int attempt, Duration duration,
                    String message, String stackTrace) {
        this.around = around;
        this.file = file;
        this.name = name;
        this.places = places;
        this.status = status;
        this.attempt = attempt;
        this.duration = duration;
        this.message = message;
        this.stackTrace = stackTrace;
    }

    /** The execution, once the type and name of every node around it are final. */
    TestExecution execution(String report) {
        Deque<String> suites = new ArrayDeque<>();
        String classname = null;
        for (TestNode node = around; node != null; node = node.parent) {
            NodeType type = node.type();
            String n = node.name();
            if (type.namesASuite() && !n.isEmpty()) {
                suites.addFirst(n);
            }
            if (type == NodeType.TEST_SUITE && classname == null && !n.isEmpty()) {
                classname = n;
            }
        }
        List<String> all = new ArrayList<>(suites);
        all.addAll(places);
        return new TestExecution(report, file, classname == null ? "" : classname, all, name, "", status, attempt, duration, message,
            stackTrace, "", "", Optional.empty());
    }

    /** A step of the walk through a test case: a node, and what it inherits from the parts above it. */
    private record Step(TestNode node, String name, List<String> places, String result, TestNode messages) {
    }

    /**
     * The executions of {@code testCase}, which has ended, in document order. Each part that
     * splits none further is one execution: an argument adds {@code " [argument]"} to the name,
     * a device or configuration its name to the suites, and repetitions and runs of the same
     * test are numbered 1, 2, … in order. A part without a result takes the nearest one above;
     * a failed or skipped part without messages takes those of the nearest part above that has some.
     */
    static List<CaseRun> of(TestNode testCase) {
        List<CaseRun> runs = new ArrayList<>();
        Map<String, Integer> attempts = new HashMap<>();
        Deque<Step> todo = new ArrayDeque<>();
        todo.push(new Step(testCase, testCase.name().isEmpty() ? "(no name)" : testCase.name(), List.of(), null, testCase));
        while (!todo.isEmpty()) {
            Step step = todo.pop();
            TestNode node = step.node();
            String result = node.result != null ? node.result : step.result();
            TestNode messages = node.firstFailure() != null || node.firstSkip() != null || node.firstExpected() != null ? node : step.messages();
            if (node.splits.isEmpty()) {
                int attempt = attempts.merge(step.name() + '\u0000' + String.join("\u0000", step.places()), 1, Integer::sum);
                runs.add(leaf(testCase, step, result, messages, attempt));
                continue;
            }
            for (int i = node.splits.size() - 1; i >= 0; i--) {
                TestNode part = node.splits.get(i);
                NodeType type = part.type();
                if (type == NodeType.ARGUMENTS) {
                    todo.push(new Step(part, step.name() + " [" + part.name() + "]", step.places(), result, messages));
                } else if (type == NodeType.DEVICE || type == NodeType.TEST_PLAN_CONFIGURATION) {
                    List<String> places = new ArrayList<>(step.places());
                    places.add(part.name());
                    todo.push(new Step(part, step.name(), places, result, messages));
                } else {
                    todo.push(new Step(part, step.name(), step.places(), result, messages));
                }
            }
        }
        return runs;
    }

    private static CaseRun leaf(TestNode testCase, Step step, String result, TestNode messages, int attempt) {
        TestNode node = step.node();
        Optional<NodeResult> known = NodeResult.of(result);
        TestStatus status = known.map(NodeResult::status).orElse(TestStatus.ERROR);
        Duration took = node.seconds != null ? node.seconds : node.duration != null ? XcresultDuration.parse(node.duration) : Duration.ZERO;
        String failure = messages.firstFailure();
        String message = switch (status) {
            case FAILED -> failure == null ? "" : failure;
            case ERROR -> failure != null ? failure : result == null ? "xcresulttool gave no result" : "xcresulttool gave the result \"" + result + "\"";
            case SKIPPED -> messages.firstSkip() != null ? messages.firstSkip() : failure == null ? "" : failure;
            case PASSED -> known.get() == NodeResult.EXPECTED_FAILURE
                ? messages.firstExpected() != null ? messages.firstExpected() : failure == null ? "" : failure
                : "";
        };
        String stackTrace = status == TestStatus.FAILED || status == TestStatus.ERROR ? orEmpty(messages.failures()) : "";
        return new CaseRun(testCase.parent, testCase.file, step.name(), step.places(), status, attempt, took, message, stackTrace);
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
