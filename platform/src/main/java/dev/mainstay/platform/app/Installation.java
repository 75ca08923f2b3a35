package dev.mainstay.platform.app;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * This Mainstay installation: one row per database, created on first start. Its id names the
 * installation in logs, audit records and evidence exports; restarts and upgrades only touch
 * the start fields.
 */
@Entity
@Table(name = "installation")
public class Installation {

    @Id
    private UUID id;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "last_started_at", nullable = false)
    private Instant lastStartedAt;

    @Column(name = "start_count", nullable = false)
    private long startCount;

    @Column(name = "last_started_version", nullable = false)
    private String lastStartedVersion;

    /** For JPA. */
    protected Installation() {
    }

    /** The installation's id. */
    public UUID id() {
        return id;
    }

    /** When it was first started. */
    public Instant createdAt() {
        return createdAt;
    }

    /** How many times it has been started, this start included. */
    public long startCount() {
        return startCount;
    }

    void started(Instant now, String version) {
        lastStartedAt = now;
        lastStartedVersion = version;
        startCount++;
    }
}
