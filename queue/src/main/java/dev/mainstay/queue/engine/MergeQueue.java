package dev.mainstay.queue.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One merge queue (a repository's target branch): events in, decisions out, no I/O and no clock.
 * The states, transitions and rules are in DESIGN.md beside this class; in short, after every
 * event the engine plans the speculative chains the queue should be testing (one per lane, each
 * step a batch), keeps the tests that still match the plan, cancels the rest, starts what is
 * missing within its concurrency, screens new pull requests in groups tested alone on the target,
 * attributes failures, bisects failed batches, dequeues culprits, and merges the longest passing
 * candidate. A candidate is identified by what it holds (the
 * pull requests on top of the target, in order), so a result stays valid as long as that holds.
 *
 * <p>Not thread-safe: one queue is driven by one worker at a time.
 */
public final class MergeQueue {

    /** A failed batch of at most this many is split into single pull requests at once; a larger one into halves. */
    static final int SINGLES = 4;

    /** How often the target branch may refuse one candidate's merge before its first pull request is dequeued. */
    public static final int MERGE_ATTEMPTS = 3;

    private final QueueSettings settings;
    private String target;
    private final List<Entry> order = new ArrayList<>();
    private final Map<Integer, Entry> queued = new HashMap<>();
    private final Map<List<Integer>, Run> runs = new LinkedHashMap<>();
    private final List<List<Integer>> forced = new ArrayList<>();
    /**
     * Groups tested alone on the target, on the side of the lanes: parts of failed batches being bisected and, with
     * screening, new pull requests being screened.
     */
    private final List<List<Integer>> suspects = new ArrayList<>();
    /** The second half of a bisected group, waiting for its first half's result: key the second half, value the first. */
    private final Map<List<Integer>, List<Integer>> halves = new HashMap<>();
    private final Set<String> flaky = new HashSet<>();
    private final Set<Integer> merged = new HashSet<>();
    private final List<QueueEvent> deferred = new ArrayList<>();
    private final Map<List<Integer>, Integer> refusals = new HashMap<>();
    private Run merging;
    private boolean paused;
    private boolean draining;
    private long drainSeq;
    private long nextRun = 1;
    private long nextSeq = 1;
    private Instant wake;

    /** A queue of the target branch at {@code target}. */
    public MergeQueue(QueueSettings settings, String target) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.target = Objects.requireNonNull(target, "target");
    }

    /** A queued pull request. */
    private static final class Entry {
        PullRequest pr;
        final long seq;
        final Instant enqueuedAt;
        boolean testing;
        /** A test holding it passed (or failed by known-flaky tests only, on the side): with screening, it may join a chain. */
        boolean vetted;
        /** The tests, not known to be flaky, that failed in the last failed test that held it. */
        Set<String> evidence = Set.of();

        Entry(PullRequest pr, long seq, Instant enqueuedAt) {
            this.pr = pr;
            this.seq = seq;
            this.enqueuedAt = enqueuedAt;
        }
    }

    /** The state of a candidate's test. */
    public enum RunState {
        /** Started; the executor has not reported the commit yet. */
        BUILDING,
        /** Its checks are running. */
        RUNNING,
        PASSED,
        /** Failed; whether it is re-run or counts is decided by the plan. */
        FAILED,
        /** Failed and to be started again: a retry. */
        RETRY
    }

    /** A candidate's latest test. */
    private static final class Run {
        long id;
        final List<Integer> prs;
        String base;
        String sha;
        RunState state;
        int attempt;
        int flakyReruns;
        Instant startedAt;
        List<String> failing = List.of();
        String failure = "";
        /** A suspect group's test on the side, not a step of a lane's chain. */
        boolean side;

        Run(List<Integer> prs) {
            this.prs = List.copyOf(prs);
        }

        boolean active() {
            return state == RunState.BUILDING || state == RunState.RUNNING;
        }
    }

    /** A step of a lane's speculative chain: everything up to and including one batch. */
    private record Candidate(List<Integer> prs, List<Integer> batch, boolean ready) {
    }

    /** What a queue holds, for pages, logs and tests. */
    public record Snapshot(String target, List<Integer> queue, List<RunView> runs, Optional<Long> merging, boolean paused,
                           boolean draining) {
    }

    /** A candidate's test as {@link Snapshot} shows it. */
    public record RunView(long run, List<Integer> prs, RunState state, int attempt) {
    }

    /** This queue's settings. */
    public QueueSettings settings() {
        return settings;
    }

    /** What the queue holds now. */
    public Snapshot snapshot() {
        List<RunView> views = new ArrayList<>();
        for (Run r : runs.values()) {
            views.add(new RunView(r.id, r.prs, r.state, r.attempt));
        }
        views.sort(Comparator.comparingLong(RunView::run));
        return new Snapshot(target, order.stream().map(e -> e.pr.number()).toList(), List.copyOf(views),
            Optional.ofNullable(merging).map(r -> r.id), paused, draining);
    }

    /** When the queue next needs a {@link QueueEvent.Tick}: a test's timeout or a batch's wait ending. */
    public Optional<Instant> nextWakeUp() {
        return Optional.ofNullable(wake);
    }

    /** Applies {@code event}, which happened at {@code now}, and returns what to do about it, in order. */
    public List<Decision> handle(QueueEvent event, Instant now) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(now, "now");
        List<Decision> out = new ArrayList<>();
        apply(event, now, out);
        reconcile(now, out);
        return out;
    }

    private void apply(QueueEvent event, Instant now, List<Decision> out) {
        switch (event) {
            case QueueEvent.Enqueue e -> enqueue(e, now, out);
            case QueueEvent.Remove r -> leave(event, r.pr(), DequeueReason.REMOVED, "removed from the queue", out);
            case QueueEvent.PullRequestClosed c -> leave(event, c.pr(), DequeueReason.CLOSED, "the pull request was closed", out);
            case QueueEvent.PullRequestUpdated u -> {
                Entry entry = queued.get(u.pr());
                if (entry != null && !entry.pr.head().equals(u.head())) {
                    leave(event, u.pr(), DequeueReason.UPDATED, "new commits were pushed (" + u.head() + ")", out);
                }
            }
            case QueueEvent.ChangePriority p -> {
                Entry entry = queued.get(p.pr());
                if (entry != null) {
                    entry.pr = entry.pr.withPriority(p.priority());
                }
            }
            case QueueEvent.CandidateBuilt b -> {
                Run run = byId(b.run());
                if (run != null && run.state == RunState.BUILDING) {
                    run.sha = b.sha();
                    run.state = RunState.RUNNING;
                }
            }
            case QueueEvent.CandidateConflict c -> {
                Run run = byId(c.run());
                if (run != null && run.active() && run.prs.contains(c.pr()) && inMerge(c.pr())) {
                    // What is merging passed its test; the candidate is built again on the merged target.
                    runs.remove(run.prs);
                } else if (run != null && run.active() && run.prs.contains(c.pr()) && queued.containsKey(c.pr())) {
                    runs.remove(run.prs);
                    eject(c.pr(), DequeueReason.MERGE_CONFLICT, "its changes conflict with the target branch or a pull request ahead",
                        out);
                }
            }
            case QueueEvent.TestFinished f -> finished(f, out);
            case QueueEvent.Merged m -> {
                if (merging != null && merging.id == m.run()) {
                    landed(merging, m.target(), out);
                    replayDeferred(now, out);
                }
            }
            case QueueEvent.MergeRefused m -> {
                if (merging != null && merging.id == m.run()) {
                    refused(merging, m.why(), out);
                    replayDeferred(now, out);
                }
            }
            case QueueEvent.TargetMoved t -> {
                if (merging != null && t.sha().equals(merging.sha)) {
                    landed(merging, t.sha(), out);
                    replayDeferred(now, out);
                } else if (!t.sha().equals(target)) {
                    target = t.sha();
                    invalidateAll("the target branch moved to " + t.sha(), out);
                }
            }
            case QueueEvent.FlakinessChanged f -> {
                flaky.removeAll(f.notFlaky());
                flaky.addAll(f.flaky());
            }
            case QueueEvent.Pause p -> paused = true;
            case QueueEvent.Drain d -> {
                if (!draining) {
                    draining = true;
                    drainSeq = nextSeq - 1;
                }
            }
            case QueueEvent.Resume r -> {
                paused = false;
                draining = false;
            }
            case QueueEvent.Tick t -> {
            }
        }
    }

    private void enqueue(QueueEvent.Enqueue e, Instant now, List<Decision> out) {
        PullRequest pr = e.pr();
        if (inMerge(pr.number())) {
            deferred.add(e);
            return;
        }
        if (merged.contains(pr.number())) {
            out.add(new Decision.Dequeue(pr.number(), pr.head(), DequeueReason.ALREADY_MERGED, "it has merged already", List.of()));
            return;
        }
        Entry existing = queued.get(pr.number());
        if (existing != null) {
            if (existing.pr.head().equals(pr.head())) {
                return;
            }
            eject(pr.number(), DequeueReason.UPDATED, "enqueued again at " + pr.head(), out);
        }
        Entry entry = new Entry(pr, nextSeq++, now);
        queued.put(pr.number(), entry);
        order.add(entry);
        out.add(new Decision.UpdateStatus(pr.number(), pr.head(), Decision.Status.QUEUED, "queued"));
    }

    private void leave(QueueEvent event, int pr, DequeueReason reason, String detail, List<Decision> out) {
        if (inMerge(pr)) {
            deferred.add(event);
        } else if (queued.containsKey(pr)) {
            eject(pr, reason, detail, out);
        }
    }

    private boolean inMerge(int pr) {
        return merging != null && merging.prs.contains(pr);
    }

    /** True when every one of {@code prs} is in the merge in flight: a candidate inside it passed, whatever its own test said. */
    private boolean merging(List<Integer> prs) {
        return merging != null && merging.prs.containsAll(prs);
    }

    private void replayDeferred(Instant now, List<Decision> out) {
        List<QueueEvent> replay = List.copyOf(deferred);
        deferred.clear();
        for (QueueEvent e : replay) {
            apply(e, now, out);
        }
    }

    private void finished(QueueEvent.TestFinished f, List<Decision> out) {
        Run run = byId(f.run());
        if (run == null || !run.active()) {
            return;
        }
        if (f.passed() && run.sha == null) {
            run.state = RunState.FAILED;
            run.failure = "passed, but the executor never reported the commit it tested";
            return;
        }
        run.state = f.passed() ? RunState.PASSED : RunState.FAILED;
        if (f.passed()) {
            vet(run.prs);
        }
        run.failing = f.failingTests();
        run.failure = f.passed() ? "" : f.failingTests().isEmpty() ? "the required checks failed"
            : "failing tests: " + String.join(", ", f.failingTests().subList(0, Math.min(10, f.failingTests().size())))
                + (f.failingTests().size() > 10 ? " and " + (f.failingTests().size() - 10) + " more" : "");
    }

    private void landed(Run run, String now, List<Decision> out) {
        merging = null;
        target = now;
        runs.remove(run.prs);
        refusals.remove(run.prs);
        Set<Integer> done = new HashSet<>(run.prs);
        Map<Integer, PullRequest> landedPrs = new HashMap<>();
        for (int pr : run.prs) {
            Entry entry = queued.remove(pr);
            if (entry != null) {
                landedPrs.put(pr, entry.pr);
                order.remove(entry);
            }
            merged.add(pr);
            out.add(new Decision.UpdateStatus(pr, entry == null ? "" : entry.pr.head(), Decision.Status.MERGED, "merged in " + now));
        }
        forced.replaceAll(batch -> batch.stream().filter(pr -> !done.contains(pr)).toList());
        forced.removeIf(List::isEmpty);
        Map<List<Integer>, Run> kept = new LinkedHashMap<>();
        for (Run other : runs.values()) {
            if (other.side) {
                kept.put(other.prs, other);
                continue;
            }
            boolean touches = other.prs.stream().anyMatch(done::contains);
            boolean sameLane = other.prs.stream().anyMatch(n -> run.prs.stream().anyMatch(m -> overlap(n, m, landedPrs)));
            if (!touches && !sameLane) {
                kept.put(other.prs, other);
            } else if (startsWith(other.prs, run.prs) && other.prs.size() > run.prs.size() && other.base.equals(run.base)) {
                // Built on top of the merged commit (the same list on the same base): the same test, of what is left above it.
                RunSnapshot was = snapshotOf(other);
                Run rest = runOf(new RunSnapshot(was.id(), other.prs.subList(run.prs.size(), other.prs.size()), run.sha, was.sha(),
                    was.state(), was.attempt(), was.flakyReruns(), was.startedAt(), was.failing(), was.failure(), false));
                kept.put(rest.prs, rest);
            } else if (other.active()) {
                out.add(new Decision.CancelTest(other.id, "it no longer matches the target branch"));
            }
        }
        runs.clear();
        runs.putAll(kept);
    }

    private void refused(Run run, String why, List<Decision> out) {
        merging = null;
        int count = refusals.merge(run.prs, 1, Integer::sum);
        if (count >= MERGE_ATTEMPTS) {
            refusals.remove(run.prs);
            eject(run.prs.getFirst(), DequeueReason.MERGE_REFUSED, "the target branch refused the merge " + count + " times: " + why,
                out);
        } else {
            invalidateAll("the merge was refused: " + why, out);
        }
    }

    private void invalidateAll(String why, List<Decision> out) {
        for (Run run : runs.values()) {
            if (run.active()) {
                out.add(new Decision.CancelTest(run.id, why));
            }
        }
        runs.clear();
    }

    /** Removes {@code pr} from the queue, with every test that holds it. */
    private void eject(int pr, DequeueReason reason, String detail, List<Decision> out) {
        eject(pr, reason, detail, List.of(), out);
    }

    /** Removes {@code pr} from the queue because of a test in which {@code failing} failed. */
    private void eject(int pr, DequeueReason reason, String detail, List<String> failing, List<Decision> out) {
        if (inMerge(pr)) {
            throw new IllegalStateException("#" + pr + " is merging and cannot be dequeued (" + reason + ")");
        }
        Entry entry = queued.remove(pr);
        if (entry == null) {
            return;
        }
        order.remove(entry);
        forced.replaceAll(batch -> batch.stream().filter(n -> n != pr).toList());
        forced.removeIf(List::isEmpty);
        suspects.replaceAll(group -> group.stream().filter(n -> n != pr).toList());
        suspects.removeIf(List::isEmpty);
        Map<List<Integer>, List<Integer>> was = new HashMap<>(halves);
        halves.clear();
        was.forEach((second, first) -> {
            List<Integer> s = second.stream().filter(n -> n != pr).toList();
            List<Integer> f = first.stream().filter(n -> n != pr).toList();
            if (!s.isEmpty() && !f.isEmpty()) {
                halves.put(s, f);
            }
        });
        var it = runs.values().iterator();
        while (it.hasNext()) {
            Run run = it.next();
            if (run.prs.contains(pr)) {
                if (run.active()) {
                    out.add(new Decision.CancelTest(run.id, "#" + pr + " left the queue"));
                }
                it.remove();
            }
        }
        out.add(new Decision.Dequeue(pr, entry.pr.head(), reason, detail, failing));
    }

    private Run byId(long id) {
        for (Run run : runs.values()) {
            if (run.id == id) {
                return run;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------- planning

    private void reconcile(Instant now, List<Decision> out) {
        for (int round = 0; ; round++) {
            if (round > 100_000) {
                throw new IllegalStateException("the queue's plan does not settle: " + snapshot());
            }
            timeouts(now, out);
            sortOrder();
            List<List<Candidate>> chains = plan(now);
            if (settleFailures(chains, out)) {
                continue;
            }
            merge(chains, out);
            schedule(chains, now, out);
            announceDrained(out);
            return;
        }
    }

    private void timeouts(Instant now, List<Decision> out) {
        for (Run run : runs.values()) {
            if (run.active() && !run.startedAt.plus(settings.testTimeout()).isAfter(now)) {
                out.add(new Decision.CancelTest(run.id, "timed out after " + settings.testTimeout().toMinutes() + " minutes"));
                run.state = RunState.FAILED;
                run.failing = List.of();
                run.failure = "timed out after " + settings.testTimeout().toMinutes() + " minutes";
            }
        }
    }

    /**
     * Urgent pull requests first; then those already in a test or a bisected batch, in the order
     * they hold; then the rest by priority and arrival. So a non-urgent priority reorders only what
     * no test holds yet.
     */
    private void sortOrder() {
        Set<Integer> held = new HashSet<>();
        for (Run run : runs.values()) {
            held.addAll(run.prs);
        }
        forced.forEach(held::addAll);
        List<Entry> landing = new ArrayList<>();
        List<Entry> urgent = new ArrayList<>();
        List<Entry> locked = new ArrayList<>();
        List<Entry> waiting = new ArrayList<>();
        for (Entry e : order) {
            if (inMerge(e.pr.number())) {
                landing.add(e);
            } else if (e.pr.priority() == Priority.URGENT) {
                urgent.add(e);
            } else if (held.contains(e.pr.number())) {
                locked.add(e);
            } else {
                waiting.add(e);
            }
        }
        urgent.sort(Comparator.comparingLong(e -> e.seq));
        waiting.sort(Comparator.<Entry>comparingInt(e -> e.pr.priority().ordinal()).thenComparingLong(e -> e.seq));
        landing.sort(Comparator.comparingInt(e -> merging.prs.indexOf(e.pr.number())));
        order.clear();
        order.addAll(landing);
        order.addAll(urgent);
        order.addAll(locked);
        order.addAll(waiting);
    }

    /** The speculative chains: one per lane (a set of pull requests whose targets overlap), in queue order. */
    private List<List<Candidate>> plan(Instant now) {
        wake = null;
        for (Run run : runs.values()) {
            if (run.active()) {
                earliest(run.startedAt.plus(settings.testTimeout()));
            }
        }
        List<List<Entry>> lanes = lanes(plannable().filter(e -> !unscreened(e)).toList());
        List<List<Candidate>> chains = new ArrayList<>();
        for (List<Entry> lane : lanes) {
            chains.add(chain(lane, now));
        }
        return chains;
    }

    /** The entries a plan may take: in no side test, and queued before {@code Drain} while draining. */
    private Stream<Entry> plannable() {
        Set<Integer> aside = new HashSet<>();
        suspects.forEach(aside::addAll);
        return order.stream().filter(e -> !draining || e.seq <= drainSeq).filter(e -> !aside.contains(e.pr.number()));
    }

    /** With screening, an entry that must pass a test alone on the target before it joins a chain: not urgent, not vetted. */
    private boolean unscreened(Entry e) {
        return settings.screening() && !e.vetted && e.pr.priority() != Priority.URGENT;
    }

    /** How many pull requests a step of a chain holds at most. */
    private int chainBatchSize() {
        return settings.screening() ? settings.batchSize() * QueueSettings.SCREENED_BATCH_FACTOR : settings.batchSize();
    }

    /**
     * The entries grouped into lanes: connected through shared targets ({@code ALL} joins everything). A
     * union of each entry with the first entry seen per target, so linear in entries times targets.
     */
    private static List<List<Entry>> lanes(List<Entry> entries) {
        int n = entries.size();
        int[] parent = new int[n];
        Map<String, Integer> firstWith = new HashMap<>();
        int firstAll = -1;
        for (int i = 0; i < n; i++) {
            parent[i] = i;
            Set<String> targets = entries.get(i).pr.targets();
            if (targets.contains(PullRequest.ALL)) {
                if (firstAll < 0) {
                    firstAll = i;
                }
                union(parent, firstAll, i);
                continue;
            }
            for (String t : targets) {
                Integer first = firstWith.putIfAbsent(t, i);
                if (first != null) {
                    union(parent, first, i);
                }
            }
        }
        if (firstAll >= 0) {
            for (int i = 0; i < n; i++) {
                union(parent, firstAll, i);
            }
        }
        Map<Integer, List<Entry>> byRoot = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            byRoot.computeIfAbsent(root(parent, i), k -> new ArrayList<>()).add(entries.get(i));
        }
        return List.copyOf(byRoot.values());
    }

    private static void union(int[] parent, int i, int j) {
        int a = root(parent, i);
        int b = root(parent, j);
        if (a != b) {
            parent[Math.max(a, b)] = Math.min(a, b);
        }
    }

    private static int root(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private List<Candidate> chain(List<Entry> lane, Instant now) {
        List<Candidate> chain = new ArrayList<>();
        List<Integer> prefix = new ArrayList<>();
        Set<Integer> used = new HashSet<>();
        // Only the head of a long queue can be tested or merged soon: every run, the slots, those waiting behind a
        // failure, and as many again for candidates a bisection puts ahead of running ones. Planning further would
        // only cost time (each candidate holds everything ahead of it).
        int horizon = 2 * (runs.size() + settings.concurrency()) + settings.pendingFailureDepth() + 2;
        int i = 0;
        while (i < lane.size() && chain.size() < horizon) {
            Entry first = lane.get(i);
            if (used.contains(first.pr.number())) {
                i++;
                continue;
            }
            List<Integer> batch = new ArrayList<>();
            boolean ready;
            // The merge in flight is a step of its own, so no batch mixes what is landing with what is not.
            Optional<List<Integer>> fixed = inMerge(first.pr.number()) ? Optional.of(merging.prs)
                : forced.stream().filter(b -> b.contains(first.pr.number())).findFirst();
            if (fixed.isPresent()) {
                for (Entry e : lane) {
                    if (fixed.get().contains(e.pr.number())) {
                        batch.add(e.pr.number());
                    }
                }
                ready = true;
            } else {
                Instant oldest = first.enqueuedAt;
                int j = i;
                while (j < lane.size() && batch.size() < chainBatchSize()) {
                    Entry e = lane.get(j);
                    int number = e.pr.number();
                    if (used.contains(number)) {
                        j++;
                        continue;
                    }
                    if (inMerge(number) || forced.stream().anyMatch(b -> b.contains(number))) {
                        break;
                    }
                    batch.add(number);
                    if (e.enqueuedAt.isBefore(oldest)) {
                        oldest = e.enqueuedAt;
                    }
                    j++;
                }
                int held = heldLength(prefix, batch);
                if (held > 0) {
                    // A batch a test already holds stays as it is: newcomers form the next batch instead of restarting it.
                    batch = new ArrayList<>(batch.subList(0, held));
                }
                boolean more = j < lane.size();
                if (settings.screening()) {
                    // Screened pull requests waited for their screening: a step is cut when the one ahead of it finished,
                    // so that what passes screening meanwhile gathers into one step rather than a run each.
                    Run ahead = chain.isEmpty() ? null : runs.get(chain.getLast().prs());
                    ready = batch.size() >= chainBatchSize() || more || draining || held > 0 || ahead == null || !ahead.active();
                } else {
                    Instant due = oldest.plus(settings.batchMaxWait());
                    ready = batch.size() >= chainBatchSize() || more || draining || !due.isAfter(now) || held > 0;
                    if (!ready) {
                        earliest(due);
                    }
                }
            }
            used.addAll(batch);
            prefix.addAll(batch);
            chain.add(new Candidate(List.copyOf(prefix), List.copyOf(batch), ready));
            if (!ready) {
                break;
            }
            i++;
        }
        return chain;
    }

    /**
     * The shortest start of {@code batch} that a test already holds on top of {@code prefix}; 0 when none does. The
     * shortest, so that the steps of a chain already being tested ({@code [1]}, {@code [1, 2]}) stay steps.
     */
    private int heldLength(List<Integer> prefix, List<Integer> batch) {
        int best = 0;
        for (List<Integer> held : runs.keySet()) {
            int k = held.size() - prefix.size();
            if (k > 0 && (best == 0 || k < best) && k <= batch.size() && startsWith(held, prefix)
                && held.subList(prefix.size(), held.size()).equals(batch.subList(0, k))) {
                best = k;
            }
        }
        return best;
    }

    private void earliest(Instant at) {
        if (wake == null || at.isBefore(wake)) {
            wake = at;
        }
    }

    /**
     * Re-runs failures that may be flakes and acts on each lane's first failure that counts: bisects
     * its batch or dequeues its pull request.
     *
     * @return true when the queue changed, so the plan must be made again
     */
    private boolean settleFailures(List<List<Candidate>> chains, List<Decision> out) {
        if (settleSuspects(out)) {
            return true;
        }
        for (List<Candidate> chain : chains) {
            boolean earlierPassed = true;
            for (int i = 0; i < chain.size(); i++) {
                Candidate c = chain.get(i);
                Run run = runs.get(c.prs());
                if (merging(c.prs())) {
                    continue;
                }
                if (run == null || run.active() || run.state == RunState.RETRY) {
                    earlierPassed = false;
                    continue;
                }
                if (run.state == RunState.PASSED) {
                    continue;
                }
                // The lane's first failure: an earlier candidate failing would explain it.
                if (flakyRerun(run)) {
                    return true;
                }
                if (settings.bisect()) {
                    // The batch's test on the side is its retry: the lane does not wait for it.
                    if (!earlierPassed || waitingForSuccessor(chain, i)) {
                        break;
                    }
                    if (c.batch().size() == 1 && settings.retries() == 0) {
                        eject(c.batch().getFirst(), DequeueReason.CHECKS_FAILED, run.failure, run.failing, out);
                    } else {
                        setAside(c.batch(), run.failing);
                    }
                    return true;
                }
                if (retry(run)) {
                    return true;
                }
                if (!earlierPassed) {
                    break;
                }
                List<Integer> batch = c.batch();
                if (batch.size() > 1) {
                    if (waitingForSuccessor(chain, i)) {
                        break;
                    }
                    for (int pr : batch) {
                        eject(pr, DequeueReason.BATCH_FAILED, "its batch " + batch + " failed: " + run.failure, run.failing, out);
                    }
                    return true;
                }
                if (waitingForSuccessor(chain, i)) {
                    break;
                }
                eject(batch.getFirst(), DequeueReason.CHECKS_FAILED, run.failure, run.failing, out);
                return true;
            }
        }
        return false;
    }

    /** Marks a failure of known-flaky tests only to be run again, while it may be: anti-flake. */
    private boolean flakyRerun(Run run) {
        if (settings.antiFlake() && !run.failing.isEmpty() && flaky.containsAll(run.failing)
            && run.flakyReruns < QueueSettings.FLAKY_RERUNS) {
            run.flakyReruns++;
            run.state = RunState.RETRY;
            return true;
        }
        return false;
    }

    /** Marks a failure to be run again while it has retries left. */
    private boolean retry(Run run) {
        if (run.attempt <= settings.retries()) {
            run.attempt++;
            run.state = RunState.RETRY;
            return true;
        }
        return false;
    }

    /** True while one of the {@code pendingFailureDepth} candidates behind a failed one may still pass. */
    private boolean waitingForSuccessor(List<Candidate> chain, int failed) {
        for (int k = failed + 1; k < chain.size() && k <= failed + settings.pendingFailureDepth(); k++) {
            Candidate next = chain.get(k);
            Run run = runs.get(next.prs());
            if (run == null ? next.ready() : run.state != RunState.FAILED) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes a failed batch out of its lane to be bisected on the side, so the lane goes on at once
     * without it instead of waiting for each round of the bisection. Results of tests that held it are
     * dropped: they can never be a candidate's again, and a batch that returns innocent is tested anew.
     */
    private void setAside(List<Integer> batch, List<String> failing) {
        forced.removeIf(b -> b.stream().anyMatch(batch::contains));
        runs.values().removeIf(r -> !r.active() && r.prs.stream().anyMatch(batch::contains));
        // The lane's failure already implicates the batch as a whole: test its parts, not it again.
        remember(batch, failing);
        bisect(batch);
    }

    /**
     * Sets a failed group's parts aside, each to be tested alone. Halves are tested one after the other: when the
     * first passes, the failure is the second's, which is split at once without a test of its own.
     */
    private void bisect(List<Integer> group) {
        List<List<Integer>> parts = parts(group);
        suspects.addAll(parts);
        if (parts.size() == 2 && parts.getFirst().size() > 1) {
            halves.put(parts.get(1), parts.getFirst());
        }
    }

    /** {@code innocent} (a first half) passed: the half waiting for it holds the failure, and is split at once. */
    private void implicateSecondHalf(List<Integer> innocent) {
        for (var e : List.copyOf(halves.entrySet())) {
            if (e.getValue().equals(innocent)) {
                halves.remove(e.getKey());
                suspects.remove(e.getKey());
                bisect(e.getKey());
            }
        }
    }

    /** Marks {@code prs} as having passed a test. */
    private void vet(List<Integer> prs) {
        for (int pr : prs) {
            Entry entry = queued.get(pr);
            if (entry != null) {
                entry.vetted = true;
            }
        }
    }

    /** Keeps the not-known-flaky tests of a failure that implicated {@code prs}, to tell a reproduced failure from a flake. */
    private void remember(List<Integer> prs, List<String> failing) {
        Set<String> real = new TreeSet<>(failing);
        real.removeAll(flaky);
        for (int pr : prs) {
            Entry entry = queued.get(pr);
            if (entry != null) {
                entry.evidence = Set.copyOf(real);
            }
        }
    }

    /** A suspect group's parts, each tested alone: single pull requests up to {@value #SINGLES}, halves above. */
    private static List<List<Integer>> parts(List<Integer> group) {
        List<List<Integer>> out = new ArrayList<>();
        if (group.size() <= SINGLES) {
            group.forEach(pr -> out.add(List.of(pr)));
        } else {
            int half = (group.size() + 1) / 2;
            out.add(List.copyOf(group.subList(0, half)));
            out.add(List.copyOf(group.subList(half, group.size())));
        }
        return out;
    }

    /**
     * Acts on the suspect groups' tests: a group that passed returns to the queue; a failure is
     * re-run like any other, and one that counts splits the group in halves, each tested at once,
     * until the pull requests that fail alone are dequeued.
     *
     * @return true when the queue changed
     */
    private boolean settleSuspects(List<Decision> out) {
        for (List<Integer> group : List.copyOf(suspects)) {
            Run run = runs.get(group);
            if (run == null || run.active() || run.state == RunState.RETRY) {
                continue;
            }
            if (run.state == RunState.PASSED || flakyOnly(run)) {
                // Innocent: back to the queue. Failing known-flaky tests only clears it too, without a re-run: a side
                // test only sorts pull requests out; whatever merges passes its own candidate's test.
                vet(group);
                suspects.remove(group);
                implicateSecondHalf(group);
                if (run.state == RunState.PASSED && run.base.equals(target) && chainIdle(group)) {
                    // Tested alone on the target as it still is, with nothing of its lane being tested: it heads its lane
                    // again, and this is its candidate.
                    run.side = false;
                } else {
                    runs.remove(group);
                }
                return true;
            }
            // A group of several is split at once: its parts' tests are its retry. A single pull request failing a test
            // that failed in the test that implicated it reproduced that failure: it counts without a retry.
            boolean reproduced = group.size() == 1 && run.failing.stream().anyMatch(t -> !flaky.contains(t)
                && queued.get(group.getFirst()).evidence.contains(t));
            if (group.size() == 1 && !reproduced && retry(run)) {
                return true;
            }
            remember(group, run.failing);
            suspects.remove(group);
            runs.remove(group);
            halves.values().removeIf(group::equals);
            if (group.size() == 1) {
                eject(group.getFirst(), DequeueReason.CHECKS_FAILED, run.failure, run.failing, out);
            } else {
                bisect(group);
            }
            return true;
        }
        return false;
    }

    /** True when, with anti-flake, every test {@code run} failed is known to be flaky. */
    private boolean flakyOnly(Run run) {
        return settings.antiFlake() && run.state == RunState.FAILED && !run.failing.isEmpty() && flaky.containsAll(run.failing);
    }

    /** True when no step of a chain that {@code group} would join is being tested or passed: it would head it. */
    private boolean chainIdle(List<Integer> group) {
        for (Run run : runs.values()) {
            if (!run.side && run.state != RunState.FAILED && !run.prs.equals(group) && run.prs.stream()
                .anyMatch(n -> group.stream().anyMatch(m -> sameLane(n, m)))) {
                return false;
            }
        }
        return true;
    }

    /** True when queued {@code n} and {@code m} share a target (or either is no longer queued). */
    private boolean sameLane(int n, int m) {
        Entry a = queued.get(n);
        Entry b = queued.get(m);
        return a == null || b == null || a.pr.overlaps(b.pr);
    }

    /** Merges the longest passing candidate of a lane (optimistic merging) or, without it, the first that passed once every one ahead of it finished. */
    private void merge(List<List<Candidate>> chains, List<Decision> out) {
        if (merging != null || paused) {
            return;
        }
        for (List<Candidate> chain : chains) {
            Run best = null;
            for (Candidate c : chain) {
                Run run = runs.get(c.prs());
                if (run != null && run.state == RunState.PASSED) {
                    best = run;
                    if (!settings.optimisticMerge()) {
                        break;
                    }
                } else if (!settings.optimisticMerge() && (run == null || run.state != RunState.FAILED)) {
                    // Without optimistic merging a candidate merges only once those ahead finished: passed, or
                    // failed (then a passing one behind proves the failure a flake: pending failure).
                    break;
                }
            }
            if (best != null) {
                merging = best;
                out.add(new Decision.Merge(best.id, best.sha, best.prs, best.base.equals(target)));
                return;
            }
        }
    }

    /** Cancels the tests the plan no longer wants and starts the ones it misses, within the concurrency. */
    private void schedule(List<List<Candidate>> chains, Instant now, List<Decision> out) {
        List<Candidate> wanted = new ArrayList<>();
        int depth = 0;
        boolean more = true;
        List<Integer> limits = new ArrayList<>();
        for (List<Candidate> chain : chains) {
            limits.add(limit(chain));
        }
        while (more) {
            more = false;
            for (int c = 0; c < chains.size(); c++) {
                List<Candidate> chain = chains.get(c);
                if (depth < limits.get(c)) {
                    more = true;
                    Candidate candidate = chain.get(depth);
                    if (candidate.ready()) {
                        wanted.add(candidate);
                    }
                }
            }
            depth++;
        }
        Allotment slots = new Allotment();
        List<List<Integer>> side = suspects.stream().filter(g -> !halves.containsKey(g)).toList();
        if (settings.screening()) {
            // The chains first: their steps hold screened pull requests, each likely to merge. Then the side tests
            // running, new pull requests' screening (a fresh group is the likeliest to pass), and the bisection's
            // parts, the largest first.
            wanted.forEach(slots::offer);
            side.stream().filter(g -> runs.containsKey(g) && runs.get(g).active()).forEach(g -> slots.offer(new Candidate(g, g, true)));
            if (!paused && slots.free > 0) {
                for (List<Integer> group : screeningGroups(now)) {
                    if (slots.free == 0) {
                        break;
                    }
                    suspects.add(group);
                    slots.offer(new Candidate(group, group, true));
                }
            }
            side.stream().sorted(Comparator.comparingInt(g -> -g.size())).forEach(g -> slots.offer(new Candidate(g, g, true)));
        } else {
            // Suspect groups first: each one found innocent goes back into a lane, each culprit found stops failing others.
            side.forEach(g -> slots.offer(new Candidate(g, g, true)));
            wanted.forEach(slots::offer);
        }
        Set<List<Integer>> kept = slots.kept;
        List<Candidate> toStart = slots.toStart;
        var it = runs.values().iterator();
        while (it.hasNext()) {
            Run run = it.next();
            if (run.active() && !kept.contains(run.prs)) {
                out.add(new Decision.CancelTest(run.id, "the queue changed ahead of it"));
                it.remove();
            } else if (run.state == RunState.RETRY && !kept.contains(run.prs)) {
                it.remove();
            }
        }
        if (paused) {
            return;
        }
        for (Candidate c : toStart) {
            Run run = runs.computeIfAbsent(c.prs(), Run::new);
            run.side = suspects.contains(c.prs());
            if (run.attempt == 0) {
                run.attempt = 1;
            }
            run.id = nextRun++;
            run.base = target;
            run.sha = null;
            run.state = RunState.BUILDING;
            run.startedAt = now;
            run.failing = List.of();
            run.failure = "";
            earliest(now.plus(settings.testTimeout()));
            List<PullRequest> prs = c.prs().stream().map(n -> queued.get(n).pr).toList();
            out.add(new Decision.StartTest(run.id, target, prs));
            for (int n : c.prs()) {
                Entry e = queued.get(n);
                if (!e.testing) {
                    e.testing = true;
                    out.add(new Decision.UpdateStatus(n, e.pr.head(), Decision.Status.TESTING, "being tested in run " + run.id));
                }
            }
        }
    }

    /** One scheduling pass: the runs it keeps and the ones it starts, within the concurrency. */
    private final class Allotment {
        int free = settings.concurrency();
        final Set<List<Integer>> kept = new HashSet<>();
        final List<Candidate> toStart = new ArrayList<>();

        /** Keeps {@code c}'s result or running test, or starts it, while a slot is free; a finished test takes none. */
        void offer(Candidate c) {
            Run run = runs.get(c.prs());
            if (run != null && (run.state == RunState.PASSED || run.state == RunState.FAILED)) {
                kept.add(c.prs());
                return;
            }
            if (free == 0 || kept.contains(c.prs())) {
                return;
            }
            free--;
            kept.add(c.prs());
            if (run == null || run.state == RunState.RETRY) {
                toStart.add(c);
            }
        }
    }

    /**
     * With screening, the groups of new pull requests ready to be tested alone on the target: per lane, in queue
     * order, up to {@code batchSize} each; a partly filled group waits until its oldest has waited
     * {@code batchMaxWait} (or the queue is draining). Oldest group first.
     */
    private List<List<Integer>> screeningGroups(Instant now) {
        List<List<Entry>> groups = new ArrayList<>();
        for (List<Entry> lane : lanes(plannable().filter(this::unscreened).toList())) {
            int size = settings.batchSize();
            for (int i = 0; i < lane.size(); i += size) {
                List<Entry> group = lane.subList(i, Math.min(lane.size(), i + size));
                Instant due = group.stream().map(e -> e.enqueuedAt).min(Comparator.naturalOrder()).orElseThrow()
                    .plus(settings.batchMaxWait());
                if (group.size() >= size || draining || !due.isAfter(now)) {
                    groups.add(group);
                } else {
                    earliest(due);
                }
            }
        }
        groups.sort(Comparator.comparingLong(g -> g.stream().mapToLong(e -> e.seq).min().orElseThrow()));
        return groups.stream().map(g -> g.stream().map(e -> e.pr.number()).toList()).toList();
    }

    /**
     * How many of a chain's candidates are worth testing: all of them, except that behind a failure
     * that counts only {@code pendingFailureDepth} candidates, which hold it too, can still prove it a flake.
     */
    private int limit(List<Candidate> chain) {
        boolean earlierPassed = true;
        for (int i = 0; i < chain.size(); i++) {
            Run run = runs.get(chain.get(i).prs());
            if (merging(chain.get(i).prs())) {
                continue;
            }
            if (run == null || run.active() || run.state == RunState.RETRY) {
                earlierPassed = false;
            } else if (run.state == RunState.FAILED && earlierPassed) {
                return Math.min(chain.size(), i + 1 + settings.pendingFailureDepth());
            }
        }
        return chain.size();
    }

    private void announceDrained(List<Decision> out) {
        if (draining && order.stream().noneMatch(e -> e.seq <= drainSeq) && merging == null) {
            draining = false;
            paused = true;
            out.add(new Decision.Drained());
        }
    }

    /** True when queued {@code n} and landed {@code m} share a target: the same lane. */
    private boolean overlap(int n, int m, Map<Integer, PullRequest> landedPrs) {
        Entry entry = queued.get(n);
        PullRequest landed = landedPrs.get(m);
        return entry == null || landed == null || entry.pr.overlaps(landed);
    }

    private static boolean startsWith(List<Integer> list, List<Integer> prefix) {
        return list.size() >= prefix.size() && list.subList(0, prefix.size()).equals(prefix);
    }

    // ---------------------------------------------------------------------------------------- persistence

    /**
     * Everything a queue knows, as plain values: what the appliance stores after each event, in the
     * transaction that stores the event's decisions, so a restarted process resumes exactly where the
     * last committed event left it. {@link #restore} of a state decides every later event exactly as the
     * queue it was taken from would have (MergeQueuePropertiesTest checks that).
     */
    public record State(String target, List<EntryState> entries, List<RunSnapshot> runs, List<List<Integer>> forced,
                        List<List<Integer>> suspects, List<HalfWait> halves, List<String> flaky, List<Integer> merged, List<QueueEvent> deferred, List<Refusal> refusals,
                        Optional<RunSnapshot> merging, boolean paused, boolean draining, long drainSeq, long nextRun, long nextSeq,
                        Optional<Instant> wake) {
    }

    /** A queued pull request, in queue order. */
    public record EntryState(PullRequest pr, long seq, Instant enqueuedAt, boolean testing, boolean vetted, List<String> evidence) {
    }

    /** The second half of a bisected group, waiting for the first half's result. */
    public record HalfWait(List<Integer> second, List<Integer> first) {
    }

    /** A candidate's latest test. */
    public record RunSnapshot(long id, List<Integer> prs, String base, String sha, RunState state, int attempt, int flakyReruns,
                              Instant startedAt, List<String> failing, String failure, boolean side) {
    }

    /** How often the merge of a candidate was refused. */
    public record Refusal(List<Integer> prs, int count) {
    }

    /** This queue's state. */
    public State state() {
        List<EntryState> entries = order.stream().map(e -> new EntryState(e.pr, e.seq, e.enqueuedAt, e.testing, e.vetted,
            List.copyOf(new TreeSet<>(e.evidence)))).toList();
        List<RunSnapshot> snapshots = runs.values().stream().map(MergeQueue::snapshotOf).toList();
        List<Refusal> refused = refusals.entrySet().stream().map(e -> new Refusal(e.getKey(), e.getValue()))
            .sorted(Comparator.comparing(r -> r.prs().toString())).toList();
        return new State(target, entries, snapshots, List.copyOf(forced), List.copyOf(suspects),
            halves.entrySet().stream().map(h -> new HalfWait(h.getKey(), h.getValue())).sorted(Comparator.comparing(h -> h.second().toString()))
                .toList(), List.copyOf(new TreeSet<>(flaky)),
            List.copyOf(new TreeSet<>(merged)), List.copyOf(deferred), refused, Optional.ofNullable(merging).map(MergeQueue::snapshotOf),
            paused, draining, drainSeq, nextRun, nextSeq, Optional.ofNullable(wake));
    }

    /** A queue that goes on from {@code state}, with {@code settings} (which may have changed meanwhile). */
    public static MergeQueue restore(QueueSettings settings, State state) {
        MergeQueue q = new MergeQueue(settings, state.target());
        for (EntryState e : state.entries()) {
            Entry entry = new Entry(e.pr(), e.seq(), e.enqueuedAt());
            entry.testing = e.testing();
            entry.vetted = e.vetted();
            entry.evidence = Set.copyOf(e.evidence());
            q.order.add(entry);
            q.queued.put(e.pr().number(), entry);
        }
        for (RunSnapshot r : state.runs()) {
            q.runs.put(r.prs(), runOf(r));
        }
        state.forced().forEach(b -> q.forced.add(List.copyOf(b)));
        state.suspects().forEach(g -> q.suspects.add(List.copyOf(g)));
        state.halves().forEach(h -> q.halves.put(List.copyOf(h.second()), List.copyOf(h.first())));
        q.flaky.addAll(state.flaky());
        q.merged.addAll(state.merged());
        q.deferred.addAll(state.deferred());
        state.refusals().forEach(r -> q.refusals.put(List.copyOf(r.prs()), r.count()));
        state.merging().ifPresent(m -> {
            Run same = q.runs.get(m.prs());
            q.merging = same != null && same.id == m.id() ? same : runOf(m);
        });
        q.paused = state.paused();
        q.draining = state.draining();
        q.drainSeq = state.drainSeq();
        q.nextRun = state.nextRun();
        q.nextSeq = state.nextSeq();
        q.wake = state.wake().orElse(null);
        return q;
    }

    private static RunSnapshot snapshotOf(Run r) {
        return new RunSnapshot(r.id, r.prs, r.base, r.sha, r.state, r.attempt, r.flakyReruns, r.startedAt, r.failing, r.failure,
            r.side);
    }

    private static Run runOf(RunSnapshot s) {
        Run r = new Run(s.prs());
        r.id = s.id();
        r.base = s.base();
        r.sha = s.sha();
        r.state = s.state();
        r.attempt = s.attempt();
        r.flakyReruns = s.flakyReruns();
        r.startedAt = s.startedAt();
        r.failing = List.copyOf(s.failing());
        r.failure = s.failure();
        r.side = s.side();
        return r;
    }
}
