package dev.mainstay.platform.flaky;

import dev.mainstay.platform.ingest.UploadObserver;
import dev.mainstay.platform.ingest.UploadStored;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;

/**
 * Queues a stored upload's tests for re-scoring in the upload's own transaction — so an upload
 * that commits is always re-scored, even if the appliance dies right after — and wakes
 * {@link Rescoring} once the transaction has committed. Uploads flagged as infrastructure
 * failures are not queued: detection ignores them.
 */
@ApplicationScoped
class RescoreQueue implements UploadObserver {

    private final Rescoring rescoring;

    @Inject
    RescoreQueue(Rescoring rescoring) {
        this.rescoring = rescoring;
    }

    @Override
    public void stored(Connection c, UploadStored upload) throws SQLException {
        if (upload.infrastructureFailure()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO flaky_rescore (upload_id, org, enqueued_at) VALUES (?, ?, ?)")) {
            s.setObject(1, upload.upload());
            s.setString(2, upload.org());
            s.setTimestamp(3, Timestamp.from(upload.receivedAt()));
            s.executeUpdate();
        }
    }

    void committed(@Observes(during = TransactionPhase.AFTER_SUCCESS) UploadStored upload) {
        if (!upload.infrastructureFailure()) {
            rescoring.wake();
        }
    }
}
