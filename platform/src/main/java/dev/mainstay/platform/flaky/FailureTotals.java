package dev.mainstay.platform.flaky;

import dev.mainstay.platform.ingest.UploadObserver;
import dev.mainstay.platform.ingest.UploadStored;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps each test's running count of failures and their time ({@code flaky_failure_total}), which
 * the dashboard sorts by, in the upload's own transaction: so the totals bound every stored failure,
 * and an upload that rolls back adds nothing. Tests are updated in the order of their ids, so two
 * uploads that fail the same tests wait for each other rather than deadlock.
 */
@ApplicationScoped
class FailureTotals implements UploadObserver {

    @Override
    public void stored(Connection c, UploadStored upload) throws SQLException {
        if (upload.failuresByTest().isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO flaky_failure_total (org, test_id, repo, failures, micros)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (org, test_id) DO UPDATE"
            + " SET failures = flaky_failure_total.failures + EXCLUDED.failures, micros = flaky_failure_total.micros + EXCLUDED.micros")) {
            for (Map.Entry<String, UploadStored.Failures> test : new TreeMap<>(upload.failuresByTest()).entrySet()) {
                s.setString(1, upload.org());
                s.setString(2, test.getKey());
                s.setString(3, upload.repo());
                s.setLong(4, test.getValue().count());
                s.setLong(5, test.getValue().micros());
                s.addBatch();
            }
            s.executeBatch();
        }
    }
}
