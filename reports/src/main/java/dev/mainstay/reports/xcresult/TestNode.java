package dev.mainstay.reports.xcresult;

import dev.mainstay.reports.Excerpt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One node of {@code testNodes} being read, reduced to what makes executions: its type, name,
 * result, duration and source file; the first failure, skip and expected-failure message among
 * its children and all failure messages as one bounded excerpt; its children that split a test
 * case (arguments, devices, configurations, repetitions, runs); and the executions of test cases
 * below it that wait for its name. xcresulttool writes keys in alphabetical order, so a node's
 * children come before its {@code name} and {@code nodeType}: all of this is known only when
 * the node ends. Type and name are taken once; a repeated key does not change them.
 */
final class TestNode {

    final TestNode parent;
    private String type;
    private String name;
    String result;
    Duration seconds;
    String duration;
    String details;
    String file = "";
    /** Whether the reader is inside this node's {@code children}. */
    boolean inChildren;
    /** Whether the node has ended. */
    boolean ended;

    private final int maxText;
    private String firstFailure;
    private Excerpt failures;
    private String firstSkip;
    private String firstExpected;
    final List<TestNode> splits = new ArrayList<>();
    final List<CaseRun> waiting = new ArrayList<>();

    TestNode(TestNode parent, int maxText) {
        this.parent = parent;
        this.maxText = maxText;
    }

    NodeType type() {
        return NodeType.of(type);
    }

    /** The name, or empty when the node has none. */
    String name() {
        return name == null ? "" : name.strip();
    }

    void type(String text) {
        type = type == null ? text : type;
    }

    void name(String text) {
        name = name == null ? text : name;
    }

    /**
     * Whether the executions of test cases below may pass this node on their way up now: its
     * type and name are final (both read, or the node ended) and none wait here before them.
     */
    boolean passable() {
        return (ended || type != null && name != null) && waiting.isEmpty();
    }

    /** Takes in a child that ended: a message, a part of a test case, or nothing this node keeps. */
    void adopt(TestNode child) {
        NodeType t = child.type();
        switch (t) {
            case FAILURE_MESSAGE -> {
                String details = child.details == null || child.details.isBlank() ? "" : "\n" + child.details.strip();
                String text = child.name() + details;
                if (firstFailure == null) {
                    firstFailure = Excerpt.of(child.name(), maxText);
                    failures = new Excerpt(maxText);
                } else {
                    failures.append("\n");
                }
                failures.append(text);
            }
            case SKIP_MESSAGE -> firstSkip = firstSkip == null ? Excerpt.of(child.name(), maxText) : firstSkip;
            case EXPECTED_FAILURE -> firstExpected = firstExpected == null ? Excerpt.of(child.name(), maxText) : firstExpected;
            case ARGUMENTS, DEVICE, TEST_PLAN_CONFIGURATION, REPETITION, TEST_CASE_RUN -> splits.add(child);
            case TEST_PLAN, UNIT_TEST_BUNDLE, UI_TEST_BUNDLE, TEST_SUITE, TEST_CASE, SOURCE_CODE_REFERENCE, ATTACHMENT, EXPRESSION,
                 TEST_VALUE, RUNTIME_WARNING, UNKNOWN -> {
                // Containers hand their executions on themselves; attachments and the like are not kept.
            }
        }
    }

    /**
     * Lets go of what the node held for others, once it has ended and handed it on: the
     * executions that waited here and, unless it is itself a part of a test case (which its
     * test case reads when that ends), its parts. Its type and name stay, for the executions
     * of the test cases below it.
     */
    void release() {
        waiting.clear();
        if (!type().splitsACase()) {
            splits.clear();
        }
    }

    /** The first failure message, or null when no child was one. */
    String firstFailure() {
        return firstFailure;
    }

    /** Every failure message, each with its details, one after another; null when none. */
    String failures() {
        return failures == null ? null : failures.text();
    }

    String firstSkip() {
        return firstSkip;
    }

    String firstExpected() {
        return firstExpected;
    }
}
