package dev.mainstay.platform.auditing;

import dev.mainstay.audit.AuditCrypto;
import dev.mainstay.audit.AuditLog;
import dev.mainstay.audit.Checkpoint;
import dev.mainstay.audit.CheckpointSigner;
import dev.mainstay.audit.Verifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Signs a checkpoint over the trail's head every {@code mainstay.audit.checkpoint-interval} when
 * new events arrived, and once at startup, then verifies the whole trail against this appliance's
 * public key; the audit page shows the last verification. Replicas may all run it: appends and
 * checkpoints lock the head, and a head already signed is not signed again.
 */
@ApplicationScoped
public class Checkpoints {

    private static final Logger LOG = Logger.getLogger(Checkpoints.class.getName());

    private final DataSource dataSource;
    private final AuditSettings settings;
    private final Clock clock;
    private ScheduledExecutorService scheduler;
    private CheckpointSigner signer;
    private AuditLog log;
    private volatile Verification lastVerification;

    /**
     * A verification of the trail.
     *
     * @param at     when it ran
     * @param result what it found
     */
    public record Verification(Instant at, Verifier.Result result) {
    }

    @Inject
    Checkpoints(@Named("mainstay") DataSource dataSource, AuditSettings settings, Clock clock) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.clock = clock;
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        AuditCrypto crypto = settings.crypto();
        signer = new CheckpointSigner(settings.loadKey(crypto), crypto);
        log = new AuditLog(crypto);
        scheduler = dev.mainstay.platform.jobs.work.BackgroundThread.scheduler("mainstay-audit-checkpoints");
        long every = settings.checkpointInterval().toSeconds();
        scheduler.scheduleWithFixedDelay(this::signQuietly, 0, every, TimeUnit.SECONDS);
    }

    /** Signs the head now if it is not signed yet. */
    public Optional<Checkpoint> sign() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            Optional<Checkpoint> checkpoint = log.checkpoint(c, signer, clock.instant());
            c.commit();
            return checkpoint;
        }
    }

    /** Verifies the whole trail now: the chain, and every checkpoint against this appliance's public key. */
    public Verification verify() throws SQLException {
        Verifier.Result result;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            result = Verifier.database(c, Optional.of(signer.key().publicKey()));
            c.rollback();
        }
        Verification verification = new Verification(clock.instant(), result);
        lastVerification = verification;
        if (!result.intact()) {
            LOG.severe(() -> "The audit trail is NOT intact: " + result.report().strip());
        }
        return verification;
    }

    /** The last verification, if one has finished. */
    public Optional<Verification> lastVerification() {
        return Optional.ofNullable(lastVerification);
    }

    private void signQuietly() {
        try {
            sign().ifPresent(cp -> LOG.fine(() -> "audit checkpoint " + cp.number() + " covers seq " + cp.seq()));
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "could not sign an audit checkpoint; retrying at the next interval", e);
        }
        try {
            verify();
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "could not verify the audit trail; retrying at the next interval", e);
        }
    }

    @PreDestroy
    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
