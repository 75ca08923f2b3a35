package dev.mainstay.reports.junit;

import dev.mainstay.reports.ExecutionSink;
import dev.mainstay.reports.Excerpt;
import dev.mainstay.reports.ParseLimits;
import dev.mainstay.reports.ReportTimes;
import dev.mainstay.reports.TestExecution;
import dev.mainstay.reports.TestStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import javax.xml.stream.XMLStreamReader;

/**
 * The {@code <testcase>} being read (one reader serves a report's testcases in turn), and the
 * executions it stands for: Surefire's {@code flakyFailure}/{@code flakyError} are failed
 * attempts before the final, passing one; {@code rerunFailure}/{@code rerunError} are failed
 * reruns after the first failure. The testcase's own outcome: error if it has an
 * {@code <error>}, else failed if a {@code <failure>}, else skipped if {@code <skipped>}, else
 * passed.
 */
final class TestCase {

    /** A separate attempt inside the testcase; kept for the next testcase's attempts, as the excerpts are. */
    private static final class Attempt {
        boolean before;
        TestStatus status;
        String message;
        Duration duration;
        final Excerpt stack;
        final Excerpt stdout;
        final Excerpt stderr;

        Attempt(int max) {
            this.stack = new Excerpt(max);
            this.stdout = new Excerpt(max);
            this.stderr = new Excerpt(max);
        }

        Attempt reset(boolean before, TestStatus status, String message, Duration duration) {
            this.before = before;
            this.status = status;
            this.message = message;
            this.duration = duration;
            stack.clear();
            stdout.clear();
            stderr.clear();
            return this;
        }
    }

    private final String report;
    private final ParseLimits limits;
    private final Attributes attributes;
    private final Excerpt stack;
    private final Excerpt stdout;
    private final Excerpt stderr;
    /** The attempts read of this testcase are the first {@code attemptCount}; the rest wait to be reused. */
    private final List<Attempt> attempts = new ArrayList<>();
    private int attemptCount;
    /** Where the text of each open child element goes (null: nowhere), innermost first. */
    private final Deque<Excerpt> targets = new ArrayDeque<>();
    private JunitXmlParser.Suite suite;
    private String name;
    private String classname;
    private String file;
    private Duration duration;
    private Optional<Instant> startedAt;
    private String message;
    private boolean error;
    private boolean failure;
    private boolean skipped;
    private Attempt current;

    /** A reader of the testcases of {@code report}, one after the other ({@link #open}), reading attributes with {@code attributes}. */
    TestCase(String report, ParseLimits limits, Attributes attributes) {
        this.report = report;
        this.limits = limits;
        this.attributes = attributes;
        this.stack = new Excerpt(limits.maxTextChars());
        this.stdout = new Excerpt(limits.maxTextChars());
        this.stderr = new Excerpt(limits.maxTextChars());
    }

    /**
     * Starts reading the testcase at {@code xml}'s start element, in {@code suite}, forgetting the
     * last one; its texts go into the same excerpts, so their room is allocated once per report.
     */
    TestCase open(JunitXmlParser.Suite suite, XMLStreamReader xml) {
        this.suite = suite;
        Attributes a = attributes.read(xml);
        String n = a.name();
        this.name = n.isEmpty() ? "(no name)" : n;
        String c = a.classname();
        this.classname = c.isEmpty() ? a.className() : c;
        String f = a.file();
        this.file = f.isEmpty() ? suite.file : f;
        this.duration = ReportTimes.seconds(a.time());
        String t = a.timestamp();
        this.startedAt = t.isEmpty() ? suite.startedAt : ReportTimes.instant(t);
        stack.clear();
        stdout.clear();
        stderr.clear();
        attemptCount = 0;
        targets.clear();
        message = "";
        error = false;
        failure = false;
        skipped = false;
        current = null;
        return this;
    }

    /** How deep inside the testcase the reader is: 0 between its children. */
    int depth() {
        return targets.size();
    }

    void start(String element, XMLStreamReader xml) {
        Excerpt target = null;
        if (targets.isEmpty()) {
            current = null;
            switch (element) {
                case "failure", "error", "skipped" -> {
                    failure |= element.equals("failure");
                    error |= element.equals("error");
                    skipped |= element.equals("skipped");
                    String m = attributes.read(xml).message();
                    if (message.isEmpty() && !m.isEmpty()) {
                        message = Excerpt.of(m, limits.maxTextChars());
                    }
                    target = stack;
                }
                case "system-out" -> target = stdout;
                case "system-err" -> target = stderr;
                case "flakyFailure", "flakyError", "rerunFailure", "rerunError" -> {
                    Attributes a = attributes.read(xml);
                    if (attemptCount == attempts.size()) {
                        attempts.add(new Attempt(limits.maxTextChars()));
                    }
                    current = attempts.get(attemptCount++).reset(element.startsWith("flaky"),
                        element.endsWith("Error") ? TestStatus.ERROR : TestStatus.FAILED,
                        Excerpt.of(a.message(), limits.maxTextChars()), ReportTimes.seconds(a.time()));
                    target = current.stack;
                }
                default -> target = null;
            }
        } else if (targets.size() == 1 && current != null) {
            target = switch (element) {
                case "stackTrace" -> current.stack;
                case "system-out" -> current.stdout;
                case "system-err" -> current.stderr;
                default -> null;
            };
        }
        targets.push(target == null ? NOWHERE : target);
    }

    void end(String element) {
        targets.pop();
    }

    void text(char[] chars, int start, int length) {
        Excerpt target = targets.peek();
        if (target != null && target != NOWHERE) {
            target.append(chars, start, length);
        }
    }

    /** Hands this testcase's executions to {@code sink}, numbering attempts after those already seen in the suite. */
    void emit(AttemptsSeen seen, ExecutionSink sink) {
        int attempt = seen.add(seen.keyOf(classname, name, file), attemptCount + 1);
        for (int i = 0; i < attemptCount; i++) {
            Attempt a = attempts.get(i);
            if (a.before) {
                sink.accept(execution(++attempt, a.status, a.message, a.stack, a.stdout, a.stderr, a.duration));
            }
        }
        TestStatus status = error ? TestStatus.ERROR : failure ? TestStatus.FAILED : skipped ? TestStatus.SKIPPED : TestStatus.PASSED;
        sink.accept(execution(++attempt, status, message, stack, stdout, stderr, duration));
        for (int i = 0; i < attemptCount; i++) {
            Attempt a = attempts.get(i);
            if (!a.before) {
                sink.accept(execution(++attempt, a.status, a.message, a.stack, a.stdout, a.stderr, a.duration));
            }
        }
    }

    private TestExecution execution(int attempt, TestStatus status, String message, Excerpt stackTrace, Excerpt out, Excerpt err,
                                    Duration took) {
        // A passed execution shows no trace, nor a message taken from one.
        String trace = status == TestStatus.PASSED ? "" : stackTrace.text();
        String shown = message.isEmpty() && status != TestStatus.PASSED ? firstLine(trace) : message;
        return new TestExecution(report, file, classname, suite.path, name, "", status, attempt, took, shown, trace, out.text(),
            err.text(), startedAt);
    }

    private static String firstLine(String text) {
        for (String line : text.split("\n", 20)) {
            if (!line.isBlank()) {
                return line.strip().length() > 1000 ? line.strip().substring(0, 1000) + "…" : line.strip();
            }
        }
        return "";
    }

    /** Marks an open element whose text is not kept. */
    private static final Excerpt NOWHERE = new Excerpt(0);
}
