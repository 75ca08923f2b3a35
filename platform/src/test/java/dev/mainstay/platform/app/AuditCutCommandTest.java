package dev.mainstay.platform.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.audit.AuditCrypto;
import dev.mainstay.audit.AuditEvent;
import dev.mainstay.audit.AuditLog;
import dev.mainstay.audit.CheckpointSigner;
import dev.mainstay.audit.SigningKey;
import dev.mainstay.testkit.ApplianceProcess;
import dev.mainstay.testkit.MainstayDatabase;
import dev.mainstay.testkit.TempDirs;
import dev.mainstay.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ./mainstay audit cut}, a real process against a real trail: retention up to a signed checkpoint, recorded, still verifiable. */
@MainstayDatabase
class AuditCutCommandTest {

    private static final Duration CLI = Duration.ofSeconds(60);

    @Test
    void audit_cut_removes_old_events_up_to_a_signed_checkpoint_and_records_itself(TestDatabase shared) throws Exception {
        TestDatabase db = shared.freshWithApplicationRole();
        AuditCrypto crypto = AuditCrypto.standard();
        AuditLog log = new AuditLog(crypto);
        CheckpointSigner signer = new CheckpointSigner(SigningKey.generate(crypto), crypto);
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            for (int month = 1; month <= 6; month++) {
                log.append(c, new AuditEvent(Instant.parse("2025-%02d-01T10:00:00Z".formatted(month)), AuditEvent.Actor.system("test"),
                    AuditEvent.Request.NONE, "acme", "token.create", new AuditEvent.Target("api-token", "t" + month),
                    AuditEvent.Outcome.SUCCESS, Map.of()));
                c.commit();
                if (month == 4) {
                    log.checkpoint(c, signer, Instant.parse("2025-04-01T11:00:00Z"));
                    c.commit();
                }
            }
        }
        Path dir = TempDirs.create("mainstay-audit-cut-");
        Path config = Files.writeString(dir.resolve("mainstay.properties"), "mainstay.db.url=" + db.jdbcUrl()
            + "\nmainstay.db.user=" + db.user() + "\nmainstay.db.password=" + db.password() + "\n");

        ApplianceProcess.Completed dryRun = ApplianceProcess.runToCompletion(dir.resolve("dry.log"), Map.of(), CLI,
            "audit", "cut", "--config", config.toString(), "--before", "2025-05-15", "--dry-run");
        assertEquals(0, dryRun.exitCode(), dryRun.output());
        assertTrue(dryRun.output().contains("Would cut 4 event(s), seq 1..4, up to signed checkpoint 1"), dryRun.output());
        assertTrue(dryRun.output().contains("the oldest event kept would be from 2025-05-01T10:00:00Z"), dryRun.output());
        assertEquals(List.of("6"), db.column("SELECT count(*) FROM audit_event"), "a dry run changes nothing");

        ApplianceProcess.Completed cut = ApplianceProcess.runToCompletion(dir.resolve("cut.log"), Map.of(), CLI,
            "audit", "cut", "--config", config.toString(), "--before", "2025-05-15");
        assertEquals(0, cut.exitCode(), cut.output());
        assertTrue(cut.output().contains("Cut 4 event(s), seq 1..4"), cut.output());
        assertTrue(cut.output().contains("recorded as audit.cut (seq 7)"), cut.output());
        assertEquals(List.of("5,6,7"), db.column("SELECT string_agg(seq::text, ',' ORDER BY seq) FROM audit_event"));
        assertEquals(List.of("operator audit.cut audit-checkpoint 1"),
            db.column("SELECT actor_type || ' ' || action || ' ' || target_type || ' ' || target_id FROM audit_event WHERE seq = 7"));

        ApplianceProcess.Completed verify = ApplianceProcess.runToCompletion(dir.resolve("verify.log"), Map.of(), CLI,
            "audit", "verify", "--jdbc-url", db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "user=" + db.user()
                + "&password=" + db.password());
        assertEquals(0, verify.exitCode(), "what remains verifies from checkpoint 1: " + verify.output());

        ApplianceProcess.Completed again = ApplianceProcess.runToCompletion(dir.resolve("again.log"), Map.of(), CLI,
            "audit", "cut", "--config", config.toString(), "--before", "2025-05-15");
        assertEquals(0, again.exitCode(), again.output());
        assertTrue(again.output().contains("Nothing to cut"), again.output());
    }
}
