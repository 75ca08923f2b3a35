package dev.mainstay.platform.ingest;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Another feature's share of storing an upload, done in the upload's own transaction: the flaky
 * feature queues the upload's tests for re-scoring and adds its failure signatures to the org's
 * clusters, so that an upload that commits is always re-scored and clustered, and one that
 * rolls back leaves nothing anywhere.
 *
 * <p>Observers are handed the upload's JDBC connection rather than left to find "the current
 * transaction's" connection: the upload row, its executions and what observers write must be on
 * one connection whatever the container does, and a foreign key from an observer's row to
 * {@code ingest_upload} sees the row only there. An observer writes only its own feature's
 * tables and throws to roll the whole upload back. Work that must wait for the commit observes
 * {@link UploadStored} with {@code TransactionPhase.AFTER_SUCCESS} instead.
 */
public interface UploadObserver {

    /**
     * Adds this feature's rows for {@code upload} on {@code c}, in the upload's transaction.
     *
     * @throws SQLException to roll the upload back
     */
    void stored(Connection c, UploadStored upload) throws SQLException;
}
