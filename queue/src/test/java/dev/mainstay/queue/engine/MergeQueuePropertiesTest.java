package dev.mainstay.queue.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The queue's promises over random event sequences, whatever the settings: it never merges a tree
 * that did not pass, never loses a pull request, never merges one twice or after it left the
 * queue or was updated, and, once CI is healthy, always merges or dequeues everything. And a queue
 * restored from its {@linkplain MergeQueue#state() state} before every event decides exactly as the
 * one that was never stored: what a restarted appliance relies on.
 */
class MergeQueuePropertiesTest {

    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
    private static final List<String> TARGETS = List.of("//web", "//api", PullRequest.ALL);

    /** One step of a random sequence; {@code pick} and {@code roll} choose among what is possible at that moment. */
    record Step(int kind, int pick, int roll) {
    }

    @Provide
    Arbitrary<QueueSettings> settings() {
        return Combinators.combine(Arbitraries.integers().between(1, 5), Arbitraries.integers().between(1, 5),
                Arbitraries.integers().between(0, 20), Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 2), Arbitraries.of(true, false))
            .as((concurrency, batch, wait, bisect, optimistic, depth, retries, antiFlake) -> new QueueSettings(concurrency, batch,
                Duration.ofMinutes(wait), bisect, optimistic, depth, retries, antiFlake, Duration.ofMinutes(45), false))
            .flatMap(s -> Arbitraries.of(true, false).map(screening -> new QueueSettings(s.concurrency(), s.batchSize(),
                s.batchMaxWait(), s.bisect(), s.optimisticMerge(), s.pendingFailureDepth(), s.retries(), s.antiFlake(),
                s.testTimeout(), screening)));
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(Arbitraries.integers().between(0, 99), Arbitraries.integers().between(0, 1000),
                Arbitraries.integers().between(0, 99))
            .as(Step::new).list().ofMinSize(1).ofMaxSize(120);
    }

    @Property(tries = 1000)
    void the_queue_keeps_its_promises(@ForAll("settings") QueueSettings settings, @ForAll("steps") List<Step> steps) {
        Harness h = new Harness(settings);
        for (Step step : steps) {
            h.step(step);
        }
        h.heal();
        h.assertDone();
    }

    /** The executor, CI and people around one queue, checking each decision as it comes. */
    static final class Harness {
        final MergeQueue queue;
        Instant now = T0;
        int nextPr = 1;
        int nextHead = 1;
        /** What the target branch holds, pull request numbers in merge order. */
        final List<Integer> target = new ArrayList<>();
        String targetSha = "base";
        final Map<Integer, PullRequest> live = new HashMap<>();
        final Set<Integer> merged = new HashSet<>();
        final Set<Integer> dequeued = new HashSet<>();
        final Set<Integer> leftWhileMerging = new HashSet<>();
        final Map<Long, Started> started = new HashMap<>();
        final Map<Long, Boolean> passed = new HashMap<>();
        final Set<Long> built = new LinkedHashSet<>();
        Decision.Merge inFlight;
        /** Every event and decision, so a failure shows how the queue got there. */
        final List<String> log = new ArrayList<>();

        record Started(Set<Integer> tree, List<Integer> prs) {
        }

        /** A second queue, restored from its own state before every event: it must decide exactly as {@link #queue}. */
        MergeQueue twin;
        final QueueSettings settings;

        Harness(QueueSettings settings) {
            this.settings = settings;
            queue = new MergeQueue(settings, "base");
            twin = MergeQueue.restore(settings, new MergeQueue(settings, "base").state());
        }

        void step(Step s) {
            int kind = s.kind();
            List<Long> active = new ArrayList<>(new TreeSet<>(activeRuns()));
            List<Integer> queued = new ArrayList<>(new TreeSet<>(live.keySet()));
            if (kind < 25) {
                int number = nextPr++;
                Set<String> targets = Set.of(TARGETS.get(s.roll() % TARGETS.size()));
                Priority priority = s.pick() % 10 == 0 ? Priority.URGENT : Priority.values()[1 + s.pick() % 3];
                PullRequest pr = new PullRequest(number, "h" + nextHead++, targets, priority, MergeMethod.values()[s.roll() % 3]);
                live.put(number, pr);
                send(new QueueEvent.Enqueue(pr));
            } else if (kind < 55 && !active.isEmpty()) {
                long run = active.get(s.pick() % active.size());
                if (!built.contains(run) && s.roll() < 90) {
                    built.add(run);
                    send(new QueueEvent.CandidateBuilt(run, "c" + run));
                } else {
                    boolean pass = s.roll() < 60;
                    passed.put(run, pass);
                    List<String> failing = pass ? List.of() : List.of(s.roll() % 2 == 0 ? "FlakyTest.wobbles" : "RealTest.breaks" + run);
                    send(new QueueEvent.TestFinished(run, pass, failing));
                }
            } else if (kind < 65 && inFlight != null) {
                if (s.roll() < 85) {
                    land();
                } else {
                    long run = inFlight.run();
                    inFlight = null;
                    // Refused: what left the queue meanwhile must not merge later.
                    leftWhileMerging.forEach(live::remove);
                    leftWhileMerging.clear();
                    send(new QueueEvent.MergeRefused(run, "branch protection"));
                }
            } else if (kind < 75 && !queued.isEmpty()) {
                int pr = queued.get(s.pick() % queued.size());
                switch (s.roll() % 4) {
                    case 0 -> leave(pr, new QueueEvent.Remove(pr));
                    case 1 -> leave(pr, new QueueEvent.PullRequestUpdated(pr, "h" + nextHead++));
                    case 2 -> leave(pr, new QueueEvent.PullRequestClosed(pr));
                    default -> {
                        Priority p = Priority.values()[s.roll() % 4];
                        live.put(pr, live.get(pr).withPriority(p));
                        send(new QueueEvent.ChangePriority(pr, p));
                    }
                }
            } else if (kind < 78 && !active.isEmpty()) {
                long run = active.get(s.pick() % active.size());
                List<Integer> prs = started.get(run).prs();
                send(new QueueEvent.CandidateConflict(run, prs.get(s.roll() % prs.size())));
            } else if (kind < 80) {
                send(new QueueEvent.FlakinessChanged(s.roll() < 50 ? Set.of("FlakyTest.wobbles") : Set.of(),
                    s.roll() < 50 ? Set.of() : Set.of("FlakyTest.wobbles")));
            } else if (kind < 83) {
                send(switch (s.roll() % 3) {
                    case 0 -> new QueueEvent.Pause("release freeze");
                    case 1 -> new QueueEvent.Drain();
                    default -> new QueueEvent.Resume();
                });
            } else if (kind < 85 && inFlight == null) {
                // Someone pushes to the target branch outside the queue.
                String sha = "push" + nextHead++;
                targetSha = sha;
                send(new QueueEvent.TargetMoved(sha));
            } else {
                now = now.plus(Duration.ofMinutes(1 + s.roll() / 2));
                send(new QueueEvent.Tick());
            }
        }

        /** A person or the code host takes {@code pr} out: unless its merge is already decided, it must not merge. */
        private void leave(int pr, QueueEvent event) {
            if (inFlight == null || !inFlight.prs().contains(pr)) {
                live.remove(pr);
            } else {
                leftWhileMerging.add(pr);
            }
            send(event);
        }

        private void land() {
            Decision.Merge m = inFlight;
            inFlight = null;
            target.addAll(m.prs());
            merged.addAll(m.prs());
            m.prs().forEach(live::remove);
            leftWhileMerging.clear();
            targetSha = m.fastForward() ? m.sha() : "merge-of-" + m.sha();
            send(new QueueEvent.Merged(m.run(), targetSha));
        }

        Set<Long> activeRuns() {
            Set<Long> out = new HashSet<>();
            for (MergeQueue.RunView r : queue.snapshot().runs()) {
                if (r.state() == MergeQueue.RunState.BUILDING || r.state() == MergeQueue.RunState.RUNNING) {
                    out.add(r.run());
                }
            }
            return out;
        }

        void send(QueueEvent event) {
            log.add(now + " " + event);
            List<Decision> decisions = queue.handle(event, now);
            List<Decision> restored = twin.handle(event, now);
            twin = MergeQueue.restore(settings, twin.state());
            for (Decision d : decisions) {
                log.add("    " + d);
                check(d);
            }
            require(decisions.equals(restored), "a queue restored from its state decides as the original: " + restored);
            require(queue.nextWakeUp().equals(twin.nextWakeUp()), "and wakes up when it would");
            Set<Integer> inQueue = new HashSet<>(queue.snapshot().queue());
            for (int pr : live.keySet()) {
                if (!inQueue.contains(pr) && !merged.contains(pr)) {
                    require(false, "#" + pr + " was lost: neither queued, merged nor dequeued; after " + event);
                }
            }
        }

        private void check(Decision d) {
            switch (d) {
                case Decision.StartTest s -> {
                    Set<Integer> tree = new HashSet<>(target);
                    tree.addAll(s.numbers());
                    require(s.base().equals(targetSha), "a test starts on the current target " + targetSha + ", not " + s.base());
                    for (PullRequest pr : s.prs()) {
                        require(live.containsKey(pr.number()) && live.get(pr.number()).head().equals(pr.head()),
                            "a test holds only queued pull requests at their queued head: " + s);
                    }
                    started.put(s.run(), new Started(tree, s.numbers()));
                }
                case Decision.Merge m -> {
                    require(inFlight == null, "one merge at a time");
                    require(Boolean.TRUE.equals(passed.get(m.run())), "merges only a run that passed: " + m);
                    require(m.sha().equals("c" + m.run()), "merges the commit the run tested: " + m);
                    Started run = started.get(m.run());
                    for (int pr : m.prs()) {
                        require(!merged.contains(pr), "#" + pr + " merged twice");
                        require(live.containsKey(pr), "#" + pr + " merged after it left the queue or was updated");
                    }
                    Set<Integer> after = new HashSet<>(target);
                    after.addAll(m.prs());
                    if (m.fastForward()) {
                        require(after.equals(run.tree()), "a fast-forward lands exactly the tested tree: " + after + " vs " + run.tree());
                    }
                    for (String lane : List.of("//web", "//api")) {
                        // Each lane the merge touches must land exactly what its checks passed on; the others
                        // were checked by their own merges.
                        boolean touched = m.prs().stream().map(this::prOf)
                            .anyMatch(p -> p.targets().contains(lane) || p.targets().contains(PullRequest.ALL));
                        require(!touched || project(after, lane).equals(project(run.tree(), lane)),
                            "in lane " + lane + " the merged tree " + after + " is the tested one " + run.tree());
                    }
                    inFlight = m;
                }
                case Decision.Dequeue q -> {
                    require(!merged.contains(q.pr()), "#" + q.pr() + " dequeued after it merged");
                    require(q.reason() != null, "every dequeue has a reason");
                    dequeued.add(q.pr());
                    live.remove(q.pr());
                }
                case Decision.CancelTest c -> {
                }
                case Decision.UpdateStatus u -> {
                }
                case Decision.Drained x -> {
                }
            }
        }

        private Set<Integer> project(Set<Integer> tree, String lane) {
            Set<Integer> out = new TreeSet<>();
            for (int pr : tree) {
                PullRequest p = prOf(pr);
                if (p.targets().contains(lane) || p.targets().contains(PullRequest.ALL)) {
                    out.add(pr);
                }
            }
            return out;
        }

        private final Map<Integer, PullRequest> everything = new HashMap<>();

        private PullRequest prOf(int number) {
            PullRequest p = live.get(number);
            if (p != null) {
                everything.put(number, p);
                return p;
            }
            return everything.get(number);
        }

        /** CI turns healthy and people stop: everything must now merge or leave, in bounded time. */
        void heal() {
            live.values().forEach(p -> everything.put(p.number(), p));
            send(new QueueEvent.Resume());
            for (int round = 0; round < 2000; round++) {
                live.values().forEach(p -> everything.put(p.number(), p));
                if (inFlight != null) {
                    land();
                    continue;
                }
                List<Long> active = new ArrayList<>(new TreeSet<>(activeRuns()));
                if (!active.isEmpty()) {
                    long run = active.getFirst();
                    if (!built.contains(run)) {
                        built.add(run);
                        send(new QueueEvent.CandidateBuilt(run, "c" + run));
                    }
                    passed.put(run, true);
                    send(new QueueEvent.TestFinished(run, true, List.of()));
                    continue;
                }
                if (queue.snapshot().queue().isEmpty()) {
                    return;
                }
                if (queue.snapshot().paused()) {
                    send(new QueueEvent.Resume());
                    continue;
                }
                now = queue.nextWakeUp().filter(w -> w.isAfter(now)).orElse(now.plus(Duration.ofMinutes(1)));
                send(new QueueEvent.Tick());
            }
            require(false, "no progress with healthy CI: " + queue.snapshot());
        }

        void assertDone() {
            require(queue.snapshot().queue().isEmpty(), "the queue empties: " + queue.snapshot());
            require(live.isEmpty(), "every pull request merged or left: " + live.keySet());
        }

        private void require(boolean condition, String message) {
            if (!condition) {
                throw new AssertionError(message + "\n" + String.join("\n", log.subList(Math.max(0, log.size() - 80), log.size())));
            }
        }
    }
}
