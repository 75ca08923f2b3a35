package dev.mainstay.queue.sim;

import dev.mainstay.queue.engine.Decision;
import dev.mainstay.queue.engine.DequeueReason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What happened to every pull request of one simulation, and the queue's invariant checked on it
 * (DESIGN.md, per lane): a merge names a run that reported passing, and the lane's tree it produces
 * is the tree that run tested; no pull request merges twice, after it left the queue, or without
 * having been enqueued; none is lost. A violation is counted, never thrown, so a run reports them all.
 */
final class Ledger {

    /** The commit the target branch starts at. */
    static final String START = "main";

    private static final int KEPT_MESSAGES = 20;

    private final Map<Integer, Workload.Arrival> enqueued = new HashMap<>();
    private final Map<Integer, Long> enqueuedAt = new HashMap<>();
    private final Map<Integer, Long> mergedAt = new HashMap<>();
    private final Map<Integer, DequeueReason> dequeued = new HashMap<>();
    /** Pull requests in the order they merged; a commit's tree is a prefix of it. */
    private final List<Integer> mergeLog = new ArrayList<>();
    private final Map<Integer, Integer> mergedIndex = new HashMap<>();
    private final Map<String, Integer> treeSize = new HashMap<>(Map.of(START, 0));
    private final List<String> messages = new ArrayList<>();
    private int violations;
    private int falseEjections;

    /** What a run was started to test: the commit it was built on and the pull requests applied on top, in order. */
    record Tested(String base, List<Integer> prs) {
    }

    void enqueued(Workload.Arrival pr, long now) {
        enqueued.put(pr.number(), pr);
        enqueuedAt.put(pr.number(), now);
    }

    boolean isOpen(int pr) {
        return enqueued.containsKey(pr) && !mergedAt.containsKey(pr) && !dequeued.containsKey(pr);
    }

    /** True when the tree of commit {@code sha} holds {@code pr}; false for a commit the queue never merged. */
    boolean treeHolds(String sha, int pr) {
        Integer index = mergedIndex.get(pr);
        Integer size = treeSize.get(sha);
        return index != null && size != null && index < size;
    }

    /** Checks a {@code Merge} decision against the test of the run it names. */
    void mergeDecided(Decision.Merge merge, Tested run, boolean reportedPassed) {
        if (run == null || !reportedPassed) {
            violation("run " + merge.run() + " merges " + merge.prs() + " without having reported passing");
            return;
        }
        if (!treeSize.containsKey(run.base())) {
            violation("run " + merge.run() + " was built on " + run.base() + ", a commit the target branch never was at");
            return;
        }
        for (int lane : lanes(merge.prs())) {
            Set<Integer> tested = lanePart(mergeLog.subList(0, treeSize.get(run.base())), lane);
            tested.addAll(lanePart(run.prs(), lane));
            Set<Integer> produced = lanePart(mergeLog, lane);
            produced.addAll(lanePart(merge.prs(), lane));
            if (!tested.equals(produced)) {
                violation("run " + merge.run() + " tested lane " + lane + " as " + tested + " but its merge makes it " + produced);
            }
        }
    }

    private Set<Integer> lanes(List<Integer> prs) {
        Set<Integer> lanes = new TreeSet<>();
        for (int pr : prs) {
            Workload.Arrival a = enqueued.get(pr);
            lanes.add(a == null ? -1 : a.lane());
        }
        return lanes;
    }

    private Set<Integer> lanePart(List<Integer> prs, int lane) {
        Set<Integer> part = new TreeSet<>();
        for (int pr : prs) {
            Workload.Arrival a = enqueued.get(pr);
            if ((a == null ? -1 : a.lane()) == lane) {
                part.add(pr);
            }
        }
        return part;
    }

    /** The target branch moved to {@code sha} with {@code prs} merged. */
    void merged(List<Integer> prs, String sha, long now) {
        for (int pr : prs) {
            if (!enqueued.containsKey(pr)) {
                violation("#" + pr + " merged without having been enqueued");
            } else if (mergedAt.containsKey(pr)) {
                violation("#" + pr + " merged twice");
            } else if (dequeued.containsKey(pr)) {
                violation("#" + pr + " merged after it left the queue (" + dequeued.get(pr) + ")");
            }
            if (!mergedAt.containsKey(pr)) {
                mergedAt.put(pr, now);
                mergedIndex.put(pr, mergeLog.size());
                mergeLog.add(pr);
            }
        }
        treeSize.put(sha, mergeLog.size());
    }

    void dequeued(int pr, DequeueReason reason) {
        if (!isOpen(pr)) {
            violation("#" + pr + " dequeued (" + reason + ") while not in the queue");
            return;
        }
        dequeued.put(pr, reason);
        boolean failed = reason == DequeueReason.CHECKS_FAILED || reason == DequeueReason.BATCH_FAILED;
        if (failed && !enqueued.get(pr).bad()) {
            falseEjections++;
        }
    }

    /** Counts the pull requests neither merged nor dequeued when the simulation ended. */
    void finish() {
        new TreeSet<>(enqueued.keySet()).stream().filter(this::isOpen).forEach(pr -> violation("#" + pr + " was lost: never merged nor dequeued"));
    }

    private void violation(String message) {
        violations++;
        if (messages.size() < KEPT_MESSAGES) {
            messages.add(message);
        }
    }

    int violations() {
        return violations;
    }

    List<String> messages() {
        return List.copyOf(messages);
    }

    int falseEjections() {
        return falseEjections;
    }

    int dequeuedCount() {
        return dequeued.size();
    }

    /** Merge times of the pull requests that merged, in merge order. */
    List<Long> mergeTimes() {
        return mergeLog.stream().map(mergedAt::get).toList();
    }

    /** Time from enqueue to merge of each pull request that merged, in merge order. */
    List<Long> timesToMerge() {
        return mergeLog.stream().map(pr -> mergedAt.get(pr) - enqueuedAt.get(pr)).toList();
    }
}
