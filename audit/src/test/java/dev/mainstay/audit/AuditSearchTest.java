package dev.mainstay.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.testkit.MainstayDatabase;
import dev.mainstay.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reading the trail page by page, with the filters the audit page offers. */
@MainstayDatabase
class AuditSearchTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static TestDatabase trail;

    /** Events 1..12 a day apart: org acme/beta/appliance-wide in turn, actors ana and bob, actions token.* and session.*. */
    @BeforeAll
    static void events(TestDatabase db) throws SQLException {
        trail = db.fresh();
        AuditLog log = new AuditLog(Trail.mode());
        try (Connection c = trail.connect()) {
            c.setAutoCommit(false);
            for (int n = 1; n <= 12; n++) {
                String org = List.of("acme", "beta", "").get(n % 3);
                String who = n % 2 == 0 ? "ana" : "bob";
                String action = n % 4 == 0 ? "session.open" : "token.create";
                log.append(c, new AuditEvent(T0.plusSeconds(86_400L * (n - 1)), new AuditEvent.Actor("user", "sub-" + who, who, "mfa", "otp"),
                    AuditEvent.Request.NONE, org, action, new AuditEvent.Target("api-token", "t" + n), AuditEvent.Outcome.SUCCESS, Map.of()));
            }
            c.commit();
        }
    }

    @Test
    void newest_first_only_the_visible_orgs_and_paged_by_sequence_number() throws SQLException {
        AuditSearch.Page first = find(query(Set.of("acme", ""), Optional.empty(), Optional.empty(), Optional.empty(), OptionalLong.empty(), 3));
        AuditSearch.Page second = find(query(Set.of("acme", ""), Optional.empty(), Optional.empty(), Optional.empty(), first.next(), 3));
        AuditSearch.Page last = find(query(Set.of("acme", ""), Optional.empty(), Optional.empty(), Optional.empty(), OptionalLong.of(3), 3));

        assertEquals(List.of(12L, 11L, 9L), seqs(first), "acme is n%3==2, appliance-wide n%3==0; beta's never shown");
        assertEquals(OptionalLong.of(9), first.next());
        assertEquals(List.of(8L, 6L, 5L), seqs(second));
        assertEquals(List.of(2L), seqs(last));
        assertEquals(OptionalLong.empty(), last.next(), "no older page");
    }

    @Test
    void filters_by_org_actor_id_or_name_action_or_action_prefix_and_time() throws SQLException {
        Set<String> all = Set.of("acme", "beta", "");
        assertEquals(List.of(10L, 7L, 4L, 1L), seqs(find(new AuditSearch.Query(all, Optional.of("beta"), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), OptionalLong.empty(), 50))));
        assertEquals(List.of(12L, 10L, 8L, 6L, 4L, 2L), seqs(find(query(all, Optional.of("ANA"), Optional.empty(), Optional.empty(),
            OptionalLong.empty(), 50))), "names ignore case");
        assertEquals(List.of(11L, 9L, 7L, 5L, 3L, 1L), seqs(find(query(all, Optional.of("sub-bob"), Optional.empty(), Optional.empty(),
            OptionalLong.empty(), 50))), "or the actor's id");
        assertEquals(List.of(12L, 8L, 4L), seqs(find(query(all, Optional.empty(), Optional.of("session.*"), Optional.empty(),
            OptionalLong.empty(), 50))));
        assertEquals(List.of(), seqs(find(query(all, Optional.empty(), Optional.of("session"), Optional.empty(), OptionalLong.empty(), 50))),
            "without .* the action must match exactly");
        assertEquals(List.of(5L, 4L), seqs(find(new AuditSearch.Query(all, Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.of(T0.plusSeconds(86_400L * 3)), Optional.of(T0.plusSeconds(86_400L * 5)), OptionalLong.empty(), 50))),
            "from is inclusive, to exclusive");
    }

    @Test
    void a_query_may_not_name_an_org_outside_those_it_may_show_nor_show_none() {
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class, () -> new AuditSearch.Query(Set.of("acme"),
            Optional.of("beta"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), OptionalLong.empty(), 10));
        assertTrue(outside.getMessage().contains("'beta'"), outside.getMessage());
        assertThrows(IllegalArgumentException.class, () -> query(Set.of(), Optional.empty(), Optional.empty(), Optional.empty(),
            OptionalLong.empty(), 10));
        assertThrows(IllegalArgumentException.class, () -> query(Set.of("acme"), Optional.empty(), Optional.empty(), Optional.empty(),
            OptionalLong.empty(), AuditSearch.MAX_PAGE + 1));
    }

    private static AuditSearch.Query query(Set<String> orgs, Optional<String> actor, Optional<String> action, Optional<Instant> from,
                                           OptionalLong before, int limit) {
        return new AuditSearch.Query(orgs, Optional.empty(), actor, action, from, Optional.empty(), before, limit);
    }

    private static AuditSearch.Page find(AuditSearch.Query query) throws SQLException {
        try (Connection c = trail.connect()) {
            return AuditSearch.find(c, query);
        }
    }

    private static List<Long> seqs(AuditSearch.Page page) {
        return page.records().stream().map(AuditRecord::seq).toList();
    }
}
