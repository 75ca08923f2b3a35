package dev.mainstay.platform.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/** The installation record: created on the first start, counted on every start. */
@ApplicationScoped
public class Installations {

    @PersistenceContext(unitName = "mainstay")
    private EntityManager em;

    private final Clock clock;

    @Inject
    Installations(Clock clock) {
        this.clock = clock;
    }

    /** For CDI proxies. */
    protected Installations() {
        this.clock = null;
    }

    /**
     * Records a start of {@code version} and returns the installation. The first start creates
     * it; replicas starting together on one database agree on a single row.
     */
    @Transactional
    public Installation recordStart(String version) {
        Instant now = clock.instant();
        // A no-op when the row exists; the unique "singleton" column makes concurrent first starts agree.
        em.createNativeQuery("""
                INSERT INTO installation (id, created_at, last_started_at, start_count, last_started_version)
                VALUES (?1, ?2, ?2, 0, ?3) ON CONFLICT (singleton) DO NOTHING""")
            .setParameter(1, UUID.randomUUID())
            .setParameter(2, now)
            .setParameter(3, version)
            .executeUpdate();
        Installation installation = em.createQuery("SELECT i FROM Installation i", Installation.class)
            .setLockMode(LockModeType.PESSIMISTIC_WRITE)
            .getSingleResult();
        installation.started(now, version);
        return installation;
    }
}
