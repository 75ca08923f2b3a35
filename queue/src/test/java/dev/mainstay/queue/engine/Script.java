package dev.mainstay.queue.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Drives one queue in a test and renders its decisions as short lines ({@code start 3: 1,2},
 * {@code cancel 3}, {@code merge 3: 1,2}, {@code dequeue 2 CHECKS_FAILED}), so a scenario states
 * the exact decisions it expects. Status updates are left out of the lines; {@link #statuses} has them.
 */
final class Script {

    static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

    final MergeQueue queue;
    Instant now = T0;
    final List<Decision.UpdateStatus> statuses = new ArrayList<>();
    private final Map<Long, String> lastMerge = new HashMap<>();

    Script(QueueSettings settings) {
        queue = new MergeQueue(settings, "base");
    }

    /** Settings with everything that hides a failure turned off, so each scenario turns on only what it shows. */
    static QueueSettings plain(int concurrency, int batchSize) {
        return new QueueSettings(concurrency, batchSize, Duration.ofMinutes(10), true, true, 0, 0, false, Duration.ofMinutes(60), false);
    }

    List<String> on(QueueEvent event) {
        List<String> lines = new ArrayList<>();
        for (Decision d : queue.handle(event, now)) {
            switch (d) {
                case Decision.StartTest s -> lines.add("start " + s.run() + ": " + join(s.numbers()));
                case Decision.CancelTest c -> lines.add("cancel " + c.run());
                case Decision.Merge m -> {
                    lastMerge.put(m.run(), m.fastForward() ? m.sha() : "merge-of-" + m.sha());
                    lines.add("merge " + m.run() + ": " + join(m.prs()) + (m.fastForward() ? "" : " (merged into the moved target)"));
                }
                case Decision.Dequeue q -> lines.add("dequeue " + q.pr() + " " + q.reason());
                case Decision.Drained x -> lines.add("drained");
                case Decision.UpdateStatus u -> statuses.add(u);
            }
        }
        return lines;
    }

    List<String> enqueue(int... numbers) {
        List<String> lines = new ArrayList<>();
        for (int n : numbers) {
            lines.addAll(on(new QueueEvent.Enqueue(PullRequest.of(n, "head" + n))));
        }
        return lines;
    }

    List<String> enqueue(int number, Priority priority, String... targets) {
        return on(new QueueEvent.Enqueue(new PullRequest(number, "head" + number, Set.of(targets), priority, MergeMethod.SQUASH)));
    }

    List<String> pass(long run) {
        List<String> lines = new ArrayList<>(on(new QueueEvent.CandidateBuilt(run, "commit" + run)));
        lines.addAll(on(new QueueEvent.TestFinished(run, true, List.of())));
        return lines;
    }

    List<String> fail(long run, String... tests) {
        List<String> lines = new ArrayList<>(on(new QueueEvent.CandidateBuilt(run, "commit" + run)));
        lines.addAll(on(new QueueEvent.TestFinished(run, false, List.of(tests))));
        return lines;
    }

    /** The executor landed the merge of {@code run} by fast-forward, or as a merge commit when another lane moved the target. */
    List<String> merged(long run) {
        return on(new QueueEvent.Merged(run, lastMerge.get(run)));
    }

    List<String> later(Duration d) {
        now = now.plus(d);
        return on(new QueueEvent.Tick());
    }

    private static String join(List<Integer> numbers) {
        return numbers.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
