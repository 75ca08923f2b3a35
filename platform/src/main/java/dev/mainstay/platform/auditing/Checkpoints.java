package dev.mainstay.platform.auditing;

import dev.mainstay.audit.AuditCrypto;
import dev.mainstay.audit.AuditLog;
import dev.mainstay.audit.Checkpoint;
import dev.mainstay.audit.CheckpointSigner;
import dev.mainstay.audit.Verifier;
import dev.mainstay.platform.jobs.JobCatalogue;
import dev.mainstay.platform.jobs.JobDefinition;
import dev.mainstay.platform.jobs.ScheduledJob;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The {@link JobCatalogue#AUDIT_CHECKPOINT} job: signs a checkpoint over the trail's head when new
 * events arrived, then verifies the whole trail against this appliance's public key; the audit page
 * shows the last verification this replica made. Appends and checkpoints lock the head, and a head
 * already signed is not signed again, so a run on any replica, or a verification asked for on the
 * audit page meanwhile, is safe.
 */
@ApplicationScoped
public class Checkpoints implements ScheduledJob {

    private static final Logger LOG = Logger.getLogger(Checkpoints.class.getName());

    private final DataSource dataSource;
    private final AuditSettings settings;
    private final Clock clock;
    private final CheckpointSigner signer;
    private final AuditLog log;
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
        AuditCrypto crypto = settings.crypto();
        this.signer = new CheckpointSigner(settings.loadKey(crypto), crypto);
        this.log = new AuditLog(crypto);
    }

    @Override
    public JobDefinition definition() {
        return JobCatalogue.AUDIT_CHECKPOINT;
    }

    /**
     * Signs the head if new events arrived, then verifies the trail.
     *
     * @return {@code signed} (0 or 1), the {@code events} and {@code checkpoints} verified, and {@code intact} (0 or 1)
     */
    @Override
    public Map<String, Long> run(Instant now) throws SQLException {
        Optional<Checkpoint> signed = sign();
        signed.ifPresent(cp -> LOG.fine(() -> "audit checkpoint " + cp.number() + " covers seq " + cp.seq()));
        Verifier.Result result = verify().result();
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("signed", signed.isPresent() ? 1L : 0L);
        counts.put("events", result.events());
        counts.put("checkpoints", result.checkpoints());
        counts.put("intact", result.intact() ? 1L : 0L);
        return counts;
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
}
