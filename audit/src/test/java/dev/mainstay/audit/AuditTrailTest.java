package dev.mainstay.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.testkit.MainstayDatabase;
import dev.mainstay.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.junit.jupiter.api.Test;

/** The trail in PostgreSQL: appends, checkpoints, the walls around the rows, and each way of tampering the verifier must catch. */
@MainstayDatabase
class AuditTrailTest {

    @Test
    void an_untouched_trail_verifies_with_its_unsigned_tail_reported(TestDatabase db) throws SQLException {
        Trail trail = new Trail(db).append(10).checkpoint().append(10).checkpoint().append(3);

        Verifier.Result result = trail.verify();

        assertTrue(result.intact(), result.report());
        assertEquals(List.of(23L, 2L, 1L, 23L), List.of(result.events(), result.checkpoints(), result.firstSeq(), result.lastSeq()));
        assertEquals(List.of("seq 21..23 are not yet covered by a signed checkpoint"), result.notes());
    }

    @Test
    void checkpoints_are_signed_with_ed25519_or_in_fips_mode_with_ecdsa_p256_on_bouncycastle_fips(TestDatabase db) throws SQLException {
        boolean fips = Boolean.getBoolean("org.bouncycastle.fips.approved_only");
        assertEquals(fips, CryptoServicesRegistrar.isInApprovedOnlyMode(), "the fips run is in approved-only mode");
        Trail trail = new Trail(db).append(1).checkpoint();
        assertEquals(List.of(fips ? "SHA256withECDSA" : "Ed25519"), trail.db.column("SELECT algorithm FROM audit_checkpoint"));
        assertEquals(fips ? "BCFIPS" : null, trail.crypto.provider() == null ? null : trail.crypto.provider().getName());
    }

    @Test
    void a_checkpoint_is_only_written_when_there_is_something_new_to_sign(TestDatabase db) throws SQLException {
        Trail trail = new Trail(db);
        trail.checkpoint();
        assertEquals(List.of("0"), trail.db.column("SELECT count(*) FROM audit_checkpoint"), "nothing to sign in an empty trail");
        trail.append(2).checkpoint().checkpoint();
        assertEquals(List.of("1 2"), trail.db.column("SELECT string_agg(number || ' ' || seq, ',') FROM audit_checkpoint"));
    }

    @Test
    void concurrent_writers_get_a_gapless_sequence_and_an_intact_chain(TestDatabase db) throws Exception {
        Trail trail = new Trail(db);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                writers.add(pool.submit(() -> {
                    trail.append(25);
                    return null;
                }));
            }
            for (Future<?> f : writers) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        trail.checkpoint();
        assertEquals(List.of("200 1 200"), trail.db.column("SELECT count(*) || ' ' || min(seq) || ' ' || max(seq) FROM audit_event"));
        assertTrue(trail.verify().intact(), trail.verify().report());
    }

    @Test
    void a_rolled_back_transaction_leaves_no_event_and_no_gap(TestDatabase db) throws SQLException {
        Trail trail = new Trail(db).append(2);
        try (Connection c = trail.db.connect()) {
            c.setAutoCommit(false);
            trail.log.append(c, Trail.event(Trail.time(3), 3));
            c.rollback();
        }
        trail.append(1).checkpoint();
        assertEquals(List.of("1,2,3"), trail.db.column("SELECT string_agg(seq::text, ',' ORDER BY seq) FROM audit_event"));
        assertTrue(trail.verify().intact(), trail.verify().report());
    }

    @Test
    void the_application_role_cannot_update_delete_or_truncate_audit_rows(TestDatabase db) throws SQLException {
        Trail trail = new Trail(db.freshWithApplicationRole(), db).append(3).checkpoint();
        for (String sql : List.of("UPDATE audit_event SET action = 'nothing.happened' WHERE seq = 2", "DELETE FROM audit_event WHERE seq = 3",
            "TRUNCATE audit_event", "UPDATE audit_checkpoint SET seq = 1", "DELETE FROM audit_checkpoint", "TRUNCATE audit_checkpoint",
            "DELETE FROM audit_head")) {
            try (Connection c = trail.db.connect(); Statement s = c.createStatement()) {
                SQLException e = assertThrows(SQLException.class, () -> s.execute(sql), sql);
                assertEquals("42501", e.getSQLState(), sql + ": " + e.getMessage());
                assertTrue(e.getMessage().contains("permission denied for table audit_"), "refused by the grants: " + e.getMessage());
            }
        }
        assertTrue(trail.verify().intact(), "nothing changed: " + trail.verify().report());
    }

    @Test
    void even_with_its_rights_taken_back_or_as_a_superuser_the_trigger_refuses_changes(TestDatabase db) throws SQLException {
        Trail trail = new Trail(db).append(3);
        try (Connection c = trail.db.connect(); Statement s = c.createStatement()) {
            s.execute("GRANT UPDATE, DELETE, TRUNCATE ON audit_event TO CURRENT_USER");
            SQLException e = assertThrows(SQLException.class, () -> s.execute("DELETE FROM audit_event WHERE seq = 3"));
            assertTrue(e.getMessage().contains("the audit trail is append-only: DELETE on audit_event is not allowed"), e.getMessage());
        }
    }

    @Test
    void an_edited_field_is_found_at_its_row(TestDatabase db) throws SQLException {
        Trail trail = new Trail(db).append(10).checkpoint();
        trail.tamper("UPDATE audit_event SET actor_name = 'someone-else' WHERE seq = 7");
        assertBroken(trail.verify(), 7, "its contents do not match its hash");
    }

    @Test
    void edited_details_that_no_longer_parse_are_found_at_their_row(TestDatabase db) throws SQLException {
        Trail trail = new Trail(db).append(10).checkpoint();
        trail.tamper("UPDATE audit_event SET details = '[1]' WHERE seq = 4");
        assertBroken(trail.verify(), 4, "cannot be read as an audit event");
    }

    @Test
    void a_deleted_row_is_found_as_a_gap(TestDatabase db) throws SQLException {
        Trail trail = new Trail(db).append(10).checkpoint();
        trail.tamper("DELETE FROM audit_event WHERE seq = 6");
        assertBroken(trail.verify(), 6, "seq 6 missing: the row after seq 5 is seq 7");
    }

    @Test
    void two_swapped_rows_are_found(TestDatabase db) throws SQLException {
        Trail trail = new Trail(db).append(10).checkpoint();
        trail.tamper("UPDATE audit_event SET seq = seq + 1000 WHERE seq IN (4, 5)",
            "UPDATE audit_event SET seq = CASE seq WHEN 1004 THEN 5 ELSE 4 END WHERE seq IN (1004, 1005)");
        assertBroken(trail.verify(), 4, "its previous-hash does not match");
    }

    @Test
    void a_truncated_tail_is_found_by_the_head_and_by_the_checkpoint(TestDatabase db) throws SQLException {
        Trail trail = new Trail(db).append(10).checkpoint().append(2);
        trail.tamper("DELETE FROM audit_event WHERE seq > 10");
        assertBroken(trail.verify(), 11, "the head says the trail ends at seq 12 but the last row is seq 10");

        trail.tamper("UPDATE audit_head SET seq = 8, hash = (SELECT hash FROM audit_event WHERE seq = 8)", "DELETE FROM audit_event WHERE seq > 8");
        assertBroken(trail.verify(), 9, "checkpoint 1 covers seq 10, but the trail ends at seq 8");
    }

    @Test
    void a_forged_checkpoint_fails_its_signature(TestDatabase db) throws SQLException {
        Trail trail = new Trail(db).append(5).checkpoint();
        // The attacker rewrites row 5 with a correct hash (the algorithm is public), then makes the checkpoint agree.
        trail.tamper("DELETE FROM audit_event WHERE seq = 5", "UPDATE audit_head SET seq = 4, hash = (SELECT hash FROM audit_event WHERE seq = 4)");
        try (Connection c = trail.db.connect()) {
            c.setAutoCommit(false);
            trail.log.append(c, Trail.event(Trail.time(5), 42));
            c.commit();
        }
        trail.tamper("UPDATE audit_checkpoint SET head_hash = (SELECT hash FROM audit_event WHERE seq = 5) WHERE number = 1");
        assertBroken(trail.verify(), 5, "checkpoint 1's signature does not verify with key " + trail.signer.key().keyId());

        trail.tamper("UPDATE audit_checkpoint SET time = time - interval '1 day' WHERE number = 1");
        assertBroken(trail.verify(), 5, "checkpoint 1's signature does not verify");
    }

    @Test
    void a_replayed_checkpoint_breaks_the_checkpoint_chain(TestDatabase db) throws SQLException {
        Trail trail = new Trail(db).append(3).checkpoint().append(3).checkpoint().append(3);
        trail.tamper("INSERT INTO audit_checkpoint SELECT 3, seq, head_hash, time, prev, key_id, algorithm, public_key, signature"
            + " FROM audit_checkpoint WHERE number = 1");
        assertBroken(trail.verify(), 3, "checkpoint 3 does not name checkpoint 2 as its predecessor (a replayed or substituted checkpoint)");
    }

    @Test
    void a_trail_rewritten_and_re_signed_with_another_key_fails_against_the_real_public_key(TestDatabase db) throws Exception {
        Trail trail = new Trail(db).append(6).checkpoint();
        // The attacker rewrites row 4, recomputes the chain and the head, and signs a new checkpoint with a key of their own.
        CheckpointSigner theirs = new CheckpointSigner(SigningKey.generate(trail.crypto), trail.crypto);
        try (Connection c = trail.db.connect()) {
            trail.tamper("DELETE FROM audit_event WHERE seq >= 4", "DELETE FROM audit_checkpoint",
                "UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit_event WHERE seq = 3)");
            c.setAutoCommit(false);
            for (int n = 4; n <= 6; n++) {
                trail.log.append(c, Trail.event(Trail.time(n), n == 4 ? 99 : n));
            }
            trail.log.checkpoint(c, theirs, Trail.time(7));
            c.commit();
        }
        assertBroken(trail.verify(), 6, "says it was signed by key " + theirs.key().keyId() + ", not by the given public key "
            + trail.signer.key().keyId());

        try (Connection c = trail.db.connect()) {
            Verifier.Result withoutKey = Verifier.database(c, Optional.empty());
            assertTrue(withoutKey.intact(), "without a key held apart from the database, a rewrite is consistent: " + withoutKey.report());
            assertTrue(withoutKey.notes().getFirst().contains("pass --public-key"), withoutKey.notes().toString());
        }
    }

    @Test
    void the_canonical_encoding_and_chain_hash_of_an_event_are_fixed(TestDatabase db) {
        AuditEvent event = new AuditEvent(Trail.START, new AuditEvent.Actor("user", "f3c1", "ada", "mfa", "pwd otp"),
            new AuditEvent.Request("10.0.0.7", "curl/8.5", "r-1", "t-1"), "acme", "token.create",
            new AuditEvent.Target("api-token", "tok-1"), AuditEvent.Outcome.SUCCESS, java.util.Map.of("name", "ci \"main\"\n", "a", "é"));
        String canonical = new String(Canonical.event(1, event), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("{\"acr\":\"mfa\",\"action\":\"token.create\",\"actorId\":\"f3c1\",\"actorName\":\"ada\",\"actorType\":\"user\","
            + "\"amr\":\"pwd otp\",\"details\":{\"a\":\"é\",\"name\":\"ci \\\"main\\\"\\u000a\"},\"org\":\"acme\",\"outcome\":\"success\","
            + "\"requestId\":\"r-1\",\"seq\":1,\"sourceAddress\":\"10.0.0.7\",\"targetId\":\"tok-1\",\"targetType\":\"api-token\","
            + "\"time\":\"2026-11-02T09:00:00.123456Z\",\"traceId\":\"t-1\",\"userAgent\":\"curl/8.5\"}", canonical);
        assertEquals("26390393f313e04e",
            HexFormat.of().formatHex(Hashes.chain(AuditCrypto.standard(), Hashes.GENESIS, Canonical.event(1, event)), 0, 8),
            "the first row's hash; changing the encoding changes every hash, so it is pinned here and in docs/design.md");
    }

    static void assertBroken(Verifier.Result result, long seq, String problem) {
        assertFalse(result.intact(), "tampering must be found: " + result.report());
        assertEquals(seq, result.badSeq().orElse(-1), result.report());
        assertTrue(result.problem().contains(problem), result.report());
    }
}
