package dev.mainstay.platform.queue.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.queue.engine.Decision;
import dev.mainstay.queue.engine.MergeMethod;
import dev.mainstay.queue.engine.MergeQueue;
import dev.mainstay.queue.engine.Priority;
import dev.mainstay.queue.engine.PullRequest;
import dev.mainstay.queue.engine.QueueEvent;
import dev.mainstay.queue.engine.QueueSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A queue stored as JSON and read back decides as the one that was never stored. */
class QueueJsonTest {

    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
    private static final QueueSettings SETTINGS = new QueueSettings(3, 2, Duration.ofMinutes(10), true, true, 1, 1, true,
        Duration.ofMinutes(60), true);

    @Test
    void a_busy_queue_survives_being_stored_as_json_and_decides_the_same_afterwards() {
        MergeQueue queue = new MergeQueue(SETTINGS, "base");
        List<Decision> decisions = new ArrayList<>();
        List<QueueEvent> events = List.of(
            new QueueEvent.FlakinessChanged(Set.of("SearchTest.ranks"), Set.of()),
            new QueueEvent.Enqueue(new PullRequest(1, "h1", Set.of("//web"), Priority.NORMAL, MergeMethod.SQUASH)),
            new QueueEvent.Enqueue(new PullRequest(2, "h2", Set.of("//web"), Priority.HIGH, MergeMethod.MERGE)),
            new QueueEvent.Enqueue(new PullRequest(3, "h3", Set.of("//api"), Priority.URGENT, MergeMethod.REBASE)),
            new QueueEvent.Enqueue(new PullRequest(4, "h4", Set.of(), Priority.LOW, MergeMethod.MERGE)),
            new QueueEvent.CandidateBuilt(1, "c1"),
            new QueueEvent.TestFinished(1, false, List.of("SearchTest.ranks")));
        for (QueueEvent e : events) {
            decisions.addAll(queue.handle(e, T0));
        }
        MergeQueue.State state = queue.state();
        assertTrue(state.entries().size() == 4 && !state.runs().isEmpty() && !state.flaky().isEmpty(), state.toString());

        String json = QueueJson.write(state);
        assertEquals(state, QueueJson.state(json), json);
        MergeQueue restored = MergeQueue.restore(SETTINGS, QueueJson.state(json));
        for (QueueEvent next : List.of(new QueueEvent.CandidateBuilt(2, "c2"), new QueueEvent.TestFinished(2, true, List.of()),
            new QueueEvent.Remove(4), new QueueEvent.Tick())) {
            Instant at = T0.plus(Duration.ofMinutes(11));
            assertEquals(queue.handle(next, at), restored.handle(next, at), "after " + next);
        }
        for (Decision d : decisions) {
            assertEquals(d, QueueJson.decision(QueueJson.write(d)), "a stored decision reads back the same");
        }
        for (QueueEvent e : events) {
            assertEquals(e, QueueJson.event(QueueJson.write(e)));
        }
        assertTrue(QueueJson.write(new QueueEvent.Merged(7, "abc")).contains("\"type\":\"merged\""));
    }

    @Test
    void a_bisection_in_progress_survives_being_stored_with_its_waiting_half_and_the_failure_that_implicated_it() {
        QueueSettings six = new QueueSettings(2, 6, Duration.ofMinutes(10), true, true, 0, 1, true, Duration.ofMinutes(60), true);
        MergeQueue queue = new MergeQueue(six, "base");
        for (int n = 1; n <= 6; n++) {
            queue.handle(new QueueEvent.Enqueue(PullRequest.of(n, "h" + n)), T0);
        }
        queue.handle(new QueueEvent.CandidateBuilt(1, "c1"), T0);
        queue.handle(new QueueEvent.TestFinished(1, false, List.of("CartTest.totals")), T0);
        MergeQueue.State state = queue.state();
        assertEquals(List.of(new MergeQueue.HalfWait(List.of(4, 5, 6), List.of(1, 2, 3))), state.halves(), state.toString());
        assertEquals(List.of("CartTest.totals"), state.entries().getFirst().evidence());

        MergeQueue.State read = QueueJson.state(QueueJson.write(state));
        assertEquals(state, read);
        MergeQueue restored = MergeQueue.restore(six, read);
        for (QueueEvent next : List.of(new QueueEvent.CandidateBuilt(2, "c2"), new QueueEvent.TestFinished(2, true, List.of()))) {
            assertEquals(queue.handle(next, T0), restored.handle(next, T0), "after " + next);
        }
    }

    @Test
    void a_state_from_a_newer_appliance_or_no_state_at_all_is_refused_naming_what_is_wrong() {
        String json = QueueJson.write(new MergeQueue(SETTINGS, "base").state());
        IllegalArgumentException newer = assertThrows(IllegalArgumentException.class,
            () -> QueueJson.state(json.replace("\"paused\"", "\"lanes_v2\":[],\"paused\"")));
        assertTrue(newer.getMessage().contains("lanes_v2"), newer.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QueueJson.event("{\"type\":\"launch_missiles\"}"));
    }
}
