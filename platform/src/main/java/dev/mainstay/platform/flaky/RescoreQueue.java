package dev.mainstay.platform.flaky;

import dev.mainstay.platform.ingest.UploadStored;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;

/**
 * Queues a stored upload's tests for re-scoring in the upload's own transaction — so an upload
 * that commits is always re-scored, even if the appliance dies right after — and wakes
 * {@link Rescoring} once the transaction has committed. Uploads flagged as infrastructure
 * failures are not queued: detection ignores them.
 */
@ApplicationScoped
class RescoreQueue {

    @PersistenceContext(unitName = "mainstay")
    EntityManager em;

    private final Rescoring rescoring;

    @Inject
    RescoreQueue(Rescoring rescoring) {
        this.rescoring = rescoring;
    }

    void queue(@Observes UploadStored upload) {
        if (upload.infrastructureFailure()) {
            return;
        }
        em.createNativeQuery("INSERT INTO flaky_rescore (upload_id, org, enqueued_at) VALUES (?1, ?2, ?3)")
            .setParameter(1, upload.upload()).setParameter(2, upload.org()).setParameter(3, Timestamp.from(upload.receivedAt()))
            .executeUpdate();
    }

    void committed(@Observes(during = TransactionPhase.AFTER_SUCCESS) UploadStored upload) {
        if (!upload.infrastructureFailure()) {
            rescoring.wake();
        }
    }
}
