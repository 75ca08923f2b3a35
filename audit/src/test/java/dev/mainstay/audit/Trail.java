package dev.mainstay.audit;

import dev.mainstay.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.bouncycastle.crypto.CryptoServicesRegistrar;

/**
 * A trail in a database of its own, with a signing key, for tests: appends events one minute apart
 * and signs checkpoints, and lets a test play the attacker who holds the application's database role.
 */
final class Trail {

    static final Instant START = Instant.parse("2026-11-02T09:00:00.123456Z");

    final TestDatabase db;
    final AuditCrypto crypto;
    final AuditLog log;
    final CheckpointSigner signer;
    private long appended;

    Trail(TestDatabase shared) throws SQLException {
        this(shared.fresh(), shared);
    }

    /** A trail in {@code own}, a database already made from {@code shared}. */
    Trail(TestDatabase own, TestDatabase shared) {
        this.db = own;
        this.crypto = mode();
        this.log = new AuditLog(crypto);
        this.signer = new CheckpointSigner(SigningKey.generate(crypto), crypto);
    }

    /** The provider mode of this test JVM: the {@code fips} surefire run sets approved-only mode. */
    static AuditCrypto mode() {
        return AuditCrypto.of(CryptoServicesRegistrar.isInApprovedOnlyMode());
    }

    static AuditEvent event(Instant time, int n) {
        return new AuditEvent(time, new AuditEvent.Actor("user", "subject-" + (n % 3), "person" + (n % 3), "mfa", "pwd otp"),
            new AuditEvent.Request("10.0.0." + n, "Mozilla/5.0", "req-" + n, "trace-" + n), "acme", "token.create",
            new AuditEvent.Target("api-token", "token-" + n), AuditEvent.Outcome.SUCCESS, Map.of("name", "ci token " + n));
    }

    /** Appends {@code n} events, each in its own transaction. */
    Trail append(int n) throws SQLException {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            for (int i = 0; i < n; i++) {
                appended++;
                log.append(c, event(time(appended), (int) appended));
                c.commit();
            }
        }
        return this;
    }

    /** The time of the {@code n}th event: one minute apart from {@link #START}. */
    static Instant time(long n) {
        return START.plus(Duration.ofMinutes(n - 1));
    }

    Trail checkpoint() throws SQLException {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            log.checkpoint(c, signer, time(appended).plusSeconds(30));
            c.commit();
        }
        return this;
    }

    Verifier.Result verify() throws SQLException {
        try (Connection c = db.connect()) {
            return Verifier.database(c, java.util.Optional.of(signer.key().publicKey()));
        }
    }

    /** Runs SQL as the application's role after taking back the rights the migration removed, as an attacker with that role could. */
    void tamper(String... sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("GRANT UPDATE, DELETE ON audit_event, audit_checkpoint, audit_head TO CURRENT_USER");
            s.execute("ALTER TABLE audit_event DISABLE TRIGGER USER");
            s.execute("ALTER TABLE audit_checkpoint DISABLE TRIGGER USER");
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }
}
