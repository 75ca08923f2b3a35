package dev.mainstay.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.testkit.MainstayDatabase;
import dev.mainstay.testkit.TempDirs;
import dev.mainstay.testkit.TestDatabase;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Retention cuts whole ranges below a signed checkpoint, through audit_cut only, and what remains still verifies. */
@MainstayDatabase
class AuditRetentionTest {

    /** Events 1..5, checkpoint 1 at seq 5, events 6..10, checkpoint 2 at seq 10, events 11..13; one minute apart. */
    private static Trail trail(TestDatabase own, TestDatabase shared) throws SQLException {
        return new Trail(own, shared).append(5).checkpoint().append(5).checkpoint().append(3);
    }

    @Test
    void a_cut_removes_every_event_up_to_the_newest_checkpoint_before_the_boundary_and_the_rest_verifies(TestDatabase db)
        throws Exception {
        Trail trail = trail(db.freshWithApplicationRole(), db);
        try (Connection c = trail.db.connect()) {
            c.setAutoCommit(false);
            AuditRetention.Plan plan = AuditRetention.plan(c, Trail.time(12));
            assertEquals(2, plan.checkpoint().orElseThrow().number(), "the newest checkpoint with only older events below it");
            assertEquals(1, plan.fromSeq());
            assertEquals(10, plan.events());
            assertEquals(Optional.of(Trail.time(11)), plan.oldestKept(), "event 11 is older than the boundary but no checkpoint covers it yet");
            assertEquals(10, AuditRetention.cut(c, plan), "run by the application's own role, which holds no DELETE");
            c.commit();
        }

        Verifier.Result result = trail.verify();
        assertTrue(result.intact(), result.report());
        assertTrue(result.report().contains("3 event(s) (seq 11..13), 2 signed checkpoint(s) verified"), result.report());
        try (Connection c = trail.db.connect()) {
            assertEquals(Optional.of(11L), Optional.of(AuditLog.firstSeq(c).orElseThrow()));
            assertTrue(AuditRetention.plan(c, Trail.time(12)).nothing(), "nothing more until a checkpoint covers seq 11");
        }

        Path export = TempDirs.create("mainstay-retention-").resolve("after-cut.jsonl");
        try (Connection c = trail.db.connect(); Writer out = Files.newBufferedWriter(export)) {
            ExportFile.write(c, trail.crypto, trail.signer, Trail.time(20), Trail.START, Trail.time(13), out);
        }
        Verifier.Result exported = ExportFile.verify(export, trail.signer.key().publicKey());
        assertTrue(exported.intact(), "an export of what remains is anchored at the cut's checkpoint: " + exported.report());
    }

    @Test
    void without_a_checkpoint_before_the_boundary_nothing_is_cut(TestDatabase db) throws SQLException {
        Trail trail = trail(db.fresh(), db);
        try (Connection c = trail.db.connect()) {
            AuditRetention.Plan plan = AuditRetention.plan(c, Trail.time(5));
            assertTrue(plan.nothing(), "checkpoint 1 is at seq 5, which is not older than the boundary");
            assertEquals(Optional.of(Trail.time(1)), plan.oldestKept());
            assertThrows(IllegalArgumentException.class, () -> AuditRetention.cut(c, plan));
        }
        assertEquals(13, trail.verify().events());
    }

    @Test
    void only_audit_cut_deletes_and_only_whole_ranges_at_a_checkpoint(TestDatabase db) throws SQLException {
        Trail trail = trail(db.freshWithApplicationRole(), db);
        try (Connection c = trail.db.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            SQLException noCheckpoint = assertThrows(SQLException.class, () -> s.execute("SELECT audit_cut(7)"));
            assertTrue(noCheckpoint.getMessage().contains("there is no audit checkpoint 7"), noCheckpoint.getMessage());
            c.rollback();

            s.execute("SELECT set_config('mainstay.audit_cut_at', '13', true)");
            SQLException byHand = assertThrows(SQLException.class, () -> s.execute("DELETE FROM audit_event"));
            assertTrue(byHand.getMessage().contains("permission denied for table audit_event"), byHand.getMessage());
            c.rollback();

            s.execute("SELECT audit_cut(1)");
            SQLException after = assertThrows(SQLException.class, () -> s.execute("DELETE FROM audit_event WHERE seq = 13"));
            assertTrue(after.getMessage().contains("permission denied for table audit_event"),
                "the cut took its DELETE back: " + after.getMessage());
            c.rollback();
        }
        try (Connection c = trail.db.connect(); Statement s = c.createStatement()) {
            s.execute("GRANT DELETE ON audit_event TO CURRENT_USER");
            s.execute("SELECT set_config('mainstay.audit_cut_at', '', false)");
            SQLException trigger = assertThrows(SQLException.class, () -> s.execute("DELETE FROM audit_event WHERE seq <= 5"));
            assertTrue(trigger.getMessage().contains("the audit trail is append-only"), trigger.getMessage());
        }
        Verifier.Result result = trail.verify();
        assertTrue(result.intact(), result.report());
        assertEquals(13, result.events(), "every refused delete left the trail whole");
        assertFalse(result.report().contains("NOT"), result.report());
    }
}
