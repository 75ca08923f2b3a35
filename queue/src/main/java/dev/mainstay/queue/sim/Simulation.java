package dev.mainstay.queue.sim;

import dev.mainstay.queue.engine.Decision;
import dev.mainstay.queue.engine.MergeMethod;
import dev.mainstay.queue.engine.MergeQueue;
import dev.mainstay.queue.engine.Priority;
import dev.mainstay.queue.engine.PullRequest;
import dev.mainstay.queue.engine.QueueEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;

/**
 * One strategy on one scenario, in virtual time: a queue of timed events (arrivals, what CI and the
 * code host report, ticks at the engine's {@code nextWakeUp}) ordered by time and then by the order
 * they were scheduled, so equal times never depend on anything but the seed. The executor model:
 * a started candidate is built at once (or found to conflict), and its checks finish after the
 * drawn duration; a cancelled run's pending reports are dropped; a merge lands at once.
 */
final class Simulation {

    /** Virtual time zero. Any fixed instant would do: nothing depends on the calendar. */
    static final Instant EPOCH = Instant.parse("2026-01-05T00:00:00Z");
    /** How long after the last arrival the queue may take to empty before the run is stopped. */
    static final Duration CAP = Duration.ofDays(90);

    private sealed interface Event {
    }

    private record Arrive(Workload.Arrival pr) implements Event {
    }

    /** A report about a run from CI: dropped once the run is cancelled. */
    private record FromCi(long run, QueueEvent event) implements Event {
    }

    /** A report from the code host: always delivered. */
    private record FromHost(QueueEvent event) implements Event {
    }

    private record Tick() implements Event {
    }

    private record Timed(long at, long seq, Event event) {
    }

    private final Scenario scenario;
    private final Strategy strategy;
    private final List<Workload.Arrival> workload;
    private final MergeQueue queue;
    private final CiModel ci;
    private final Ledger ledger = new Ledger();
    private final PriorityQueue<Timed> events = new PriorityQueue<>(Comparator.comparingLong(Timed::at).thenComparingLong(Timed::seq));
    private final Set<Long> ticks = new HashSet<>();
    private final Map<Integer, Workload.Arrival> prs = new HashMap<>();
    private final Map<Integer, Integer> partner = new HashMap<>();
    private final Map<Integer, List<Integer>> partnerOf = new HashMap<>();
    private final List<TreeSet<Integer>> openByLane = new ArrayList<>();
    private final Map<Long, Ledger.Tested> started = new HashMap<>();
    private final Set<Long> cancelled = new HashSet<>();
    private final Set<Long> passed = new HashSet<>();
    private final Map<Long, Decision.Merge> merging = new HashMap<>();
    private long seq;
    private long now;
    private long runsStarted;
    private int arrivalsLeft;

    Simulation(Scenario scenario, Strategy strategy, List<Workload.Arrival> workload) {
        this.scenario = scenario;
        this.strategy = strategy;
        this.workload = workload;
        this.queue = new MergeQueue(strategy.settings(scenario), Ledger.START);
        this.ci = new CiModel(scenario, strategy.knowsOutcomes());
        for (int i = 0; i < scenario.lanes(); i++) {
            openByLane.add(new TreeSet<>());
        }
    }

    Result run() {
        for (Workload.Arrival a : workload) {
            prs.put(a.number(), a);
            // The oracle knows a truly-bad pull request would fail: it never enters.
            if (!(strategy.knowsOutcomes() && a.bad())) {
                schedule(a.at(), new Arrive(a));
                arrivalsLeft++;
            }
        }
        if (strategy.knowsFlakyTests()) {
            handle(new QueueEvent.FlakinessChanged(CiModel.knownFlaky(), Set.of()));
        }
        long end = Math.round(scenario.hours() * 3_600_000) + CAP.toMillis();
        boolean capped = false;
        while (!events.isEmpty() && !(arrivalsLeft == 0 && openCount() == 0 && merging.isEmpty())) {
            Timed next = events.poll();
            if (next.at() > end) {
                capped = true;
                break;
            }
            now = next.at();
            switch (next.event()) {
                case Arrive a -> arrive(a.pr());
                case FromCi r -> {
                    if (!cancelled.contains(r.run())) {
                        if (r.event() instanceof QueueEvent.TestFinished f && f.passed()) {
                            passed.add(r.run());
                        }
                        handle(r.event());
                    }
                }
                case FromHost h -> {
                    if (h.event() instanceof QueueEvent.Merged m) {
                        // The target moves first: tests the engine starts now are built on the merged tree.
                        Decision.Merge merge = merging.remove(m.run());
                        ledger.merged(merge.prs(), m.target(), now);
                        merge.prs().forEach(this::closed);
                    }
                    handle(h.event());
                }
                case Tick t -> {
                    ticks.remove(now);
                    handle(new QueueEvent.Tick());
                }
            }
        }
        ledger.finish();
        return Result.of(strategy, scenario, ledger, runsStarted, now, capped);
    }

    private int openCount() {
        return openByLane.stream().mapToInt(Set::size).sum();
    }

    private void arrive(Workload.Arrival pr) {
        arrivalsLeft--;
        TreeSet<Integer> lane = openByLane.get(pr.lane());
        if (pr.conflicts() && !lane.isEmpty()) {
            if (strategy.knowsOutcomes()) {
                // The oracle knows the conflict too: the later pull request never enters, so no candidate is lost to it.
                return;
            }
            int other = new ArrayList<>(lane).get((int) (pr.pick() * lane.size()));
            partner.put(pr.number(), other);
            partnerOf.computeIfAbsent(other, k -> new ArrayList<>()).add(pr.number());
        }
        ledger.enqueued(pr, now);
        lane.add(pr.number());
        handle(new QueueEvent.Enqueue(new PullRequest(pr.number(), "head-" + pr.number(), Set.of("lane-" + pr.lane()), Priority.NORMAL,
            MergeMethod.SQUASH)));
    }

    private void handle(QueueEvent event) {
        for (Decision d : queue.handle(event, EPOCH.plusMillis(now))) {
            switch (d) {
                case Decision.StartTest s -> start(s);
                case Decision.CancelTest c -> cancelled.add(c.run());
                case Decision.Merge m -> {
                    ledger.mergeDecided(m, started.get(m.run()), passed.contains(m.run()));
                    merging.put(m.run(), m);
                    // A fast-forward lands the tested commit itself; otherwise the host makes a merge commit on the moved target.
                    schedule(now, new FromHost(new QueueEvent.Merged(m.run(), m.fastForward() ? m.sha() : "merge-of-" + m.sha())));
                }
                case Decision.Dequeue q -> {
                    ledger.dequeued(q.pr(), q.reason());
                    closed(q.pr());
                }
                case Decision.UpdateStatus u -> {
                }
                case Decision.Drained x -> {
                }
            }
        }
        Optional<Instant> wake = queue.nextWakeUp();
        if (wake.isPresent()) {
            // A wake-up is always after now; the floor only keeps a mistaken one from spinning in place.
            long at = Math.max(now + 1, Duration.between(EPOCH, wake.get()).toMillis());
            if (ticks.add(at)) {
                schedule(at, new Tick());
            }
        }
    }

    private void closed(int pr) {
        Workload.Arrival a = prs.get(pr);
        if (a != null) {
            openByLane.get(a.lane()).remove(pr);
        }
    }

    private void start(Decision.StartTest s) {
        runsStarted++;
        started.put(s.run(), new Ledger.Tested(s.base(), s.numbers()));
        CiModel.Outcome outcome = ci.run(s.numbers().stream().map(prs::get).toList());
        Optional<Integer> conflict = conflict(s.base(), s.numbers());
        if (conflict.isPresent()) {
            schedule(now, new FromCi(s.run(), new QueueEvent.CandidateConflict(s.run(), conflict.get())));
            return;
        }
        schedule(now, new FromCi(s.run(), new QueueEvent.CandidateBuilt(s.run(), "c" + s.run())));
        schedule(now + outcome.millis(), new FromCi(s.run(), new QueueEvent.TestFinished(s.run(), outcome.passed(), outcome.failingTests())));
    }

    /** The first pull request of {@code candidate} that conflicts with one before it or with one the base already holds. */
    private Optional<Integer> conflict(String base, List<Integer> candidate) {
        for (int i = 0; i < candidate.size(); i++) {
            int pr = candidate.get(i);
            List<Integer> others = new ArrayList<>(partnerOf.getOrDefault(pr, List.of()));
            if (partner.containsKey(pr)) {
                others.add(partner.get(pr));
            }
            for (int other : others) {
                if (ledger.treeHolds(base, other) || candidate.subList(0, i).contains(other)) {
                    return Optional.of(pr);
                }
            }
        }
        return Optional.empty();
    }

    private void schedule(long at, Event event) {
        events.add(new Timed(at, seq++, event));
    }
}
