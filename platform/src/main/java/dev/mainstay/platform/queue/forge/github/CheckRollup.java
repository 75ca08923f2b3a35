package dev.mainstay.platform.queue.forge.github;

import dev.mainstay.platform.queue.forge.CheckState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Folds a commit's commit statuses and check runs into one {@link CheckState} against the required
 * checks, as branch protection does: the newest report per name counts; a check run wins over a
 * status of the same name; success, neutral and skipped pass; a required check not reported yet is
 * pending; any failure decides at once.
 */
final class CheckRollup {

    private enum Outcome {
        PASSED, PENDING, FAILED
    }

    private final Map<String, Outcome> statuses = new TreeMap<>();
    private final Map<String, Long> newestStatus = new TreeMap<>();
    private final Map<String, Outcome> runs = new TreeMap<>();
    private final Map<String, Long> newestRun = new TreeMap<>();

    /** A commit status: {@code state} is success, failure, error or pending. */
    void status(String context, long id, String state) {
        if (id >= newestStatus.getOrDefault(context, Long.MIN_VALUE)) {
            newestStatus.put(context, id);
            statuses.put(context, switch (state.toLowerCase(Locale.ROOT)) {
                case "success" -> Outcome.PASSED;
                case "pending" -> Outcome.PENDING;
                default -> Outcome.FAILED;
            });
        }
    }

    /** A check run: {@code status} queued, in_progress or completed, {@code conclusion} set once completed. */
    void checkRun(String name, long id, String status, String conclusion) {
        if (id >= newestRun.getOrDefault(name, Long.MIN_VALUE)) {
            newestRun.put(name, id);
            String c = String.valueOf(conclusion).toLowerCase(Locale.ROOT);
            runs.put(name, !"completed".equalsIgnoreCase(status) ? Outcome.PENDING
                : c.equals("success") || c.equals("neutral") || c.equals("skipped") ? Outcome.PASSED : Outcome.FAILED);
        }
    }

    /** Where the commit stands against {@code required}; against every reported check when none is required. */
    CheckState against(List<String> required) {
        Map<String, Outcome> outcomes = new TreeMap<>(statuses);
        outcomes.putAll(runs);
        List<String> names = required.isEmpty() ? List.copyOf(outcomes.keySet()) : required;
        List<String> failed = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        for (String name : names) {
            switch (outcomes.getOrDefault(name, Outcome.PENDING)) {
                case FAILED -> failed.add(name);
                case PENDING -> waiting.add(name);
                case PASSED -> { }
            }
        }
        if (!failed.isEmpty()) {
            return new CheckState.Failed(failed);
        }
        return names.isEmpty() || !waiting.isEmpty() ? new CheckState.Pending(waiting) : new CheckState.Passed();
    }
}
