package dev.mainstay.platform.queue.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mainstay.queue.engine.Decision;
import dev.mainstay.queue.engine.MergeQueue;
import dev.mainstay.queue.engine.PullRequest;
import dev.mainstay.queue.engine.QueueEvent;
import dev.mainstay.queue.engine.QueueSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a queue's page shows of the engine's state: positions, states and expected waits. */
class QueueViewTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final QueueSettings ONE_AT_A_TIME = new QueueSettings(1, 1, Duration.ZERO, true, true, 0, 1, true,
        Duration.ofHours(2), false);

    @Test
    void the_pull_request_under_test_is_expected_when_its_test_typically_ends_and_each_wave_behind_it_a_typical_test_later() {
        MergeQueue queue = new MergeQueue(ONE_AT_A_TIME, "base");
        long run = 0;
        for (int n = 1; n <= 3; n++) {
            for (Decision d : queue.handle(new QueueEvent.Enqueue(PullRequest.of(n, "head" + n)), T0)) {
                if (d instanceof Decision.StartTest s) {
                    run = s.run();
                }
            }
        }
        queue.handle(new QueueEvent.CandidateBuilt(run, "c1"), T0.plus(Duration.ofMinutes(1)));

        QueueView view = QueueView.of("acme/web", "main", "https://github.example.com", queue.state(), List.of(),
            Optional.of(Duration.ofMinutes(10)), ONE_AT_A_TIME, T0.plus(Duration.ofMinutes(4)));

        assertEquals(List.of(1, 2, 3), view.entries().stream().map(QueueView.Entry::pr).toList());
        assertEquals(List.of(true, false, false), view.entries().stream().map(QueueView.Entry::testing).toList());
        assertEquals(List.of(Duration.ofMinutes(6), Duration.ofMinutes(16), Duration.ofMinutes(26)),
            view.entries().stream().map(e -> e.expected().orElseThrow()).toList());
        assertEquals(Duration.ofMinutes(4), view.entries().get(2).waited());
        assertEquals(List.of("running c1"), view.tests().stream().map(t -> t.state() + " " + t.sha()).toList());
        assertEquals("https://github.example.com/acme/web/pull/2", view.pullRequestUrl(2));

        QueueView unknown = QueueView.of("acme/web", "main", "https://github.example.com", queue.state(), List.of(), Optional.empty(),
            ONE_AT_A_TIME, T0.plus(Duration.ofMinutes(4)));
        assertEquals(List.of(Optional.<Duration>empty(), Optional.<Duration>empty(), Optional.<Duration>empty()),
            unknown.entries().stream().map(QueueView.Entry::expected).toList(), "no finished test to go by: no guess");

        QueueView release = QueueView.of("acme/web", "release/2.0+hotfix&x", "https://github.example.com", queue.state(), List.of(),
            Optional.empty(), ONE_AT_A_TIME, T0);
        assertEquals("release%2F2.0%2Bhotfix%26x", release.branchQuery(), "links keep a branch name whole");
    }

    @Test
    void durations_read_as_people_say_them() {
        assertEquals("45 s", QueueView.human(Duration.ofSeconds(45)));
        assertEquals("12 min", QueueView.human(Duration.ofMinutes(12)));
        assertEquals("3 h 5 min", QueueView.human(Duration.ofMinutes(185)));
        assertEquals("2 d 4 h", QueueView.human(Duration.ofHours(52)));
        assertEquals("checks failed", QueueView.outcome("checks_failed"));
    }
}
