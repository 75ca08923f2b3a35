package dev.mainstay.platform.queue.outbound;

import dev.mainstay.platform.app.ApplianceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * What the test results CI uploaded say about a merge-queue candidate: which tests failed on its
 * commit, and which of those flaky-test detection knows to be flaky. A test is named as the queue
 * and its comments show it: {@code classname.name}, with {@code [variant]} when it has one.
 */
@ApplicationScoped
public class CandidateResults {

    /** At most this many failing tests are reported for one commit. */
    static final int MAX_FAILING = 200;

    private static final String NAME = "CASE WHEN %1$s.classname = '' THEN %1$s.name ELSE %1$s.classname || '.' || %1$s.name END"
        + " || CASE WHEN %1$s.variant = '' THEN '' ELSE ' [' || %1$s.variant || ']' END";

    private final DataSource dataSource;

    @Inject
    CandidateResults(@Named(ApplianceConfig.DATA_SOURCE) DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The tests that failed on {@code sha} of {@code repo}, in the order the reports listed them: a
     * test fails when every attempt of it, over every upload for the commit, failed or errored (one
     * that passed on a retry is flaky, not failing). Empty when nothing was uploaded for the commit.
     */
    public List<String> failingTests(String repo, String sha) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT " + NAME.formatted("e") + " FROM ingest_upload u"
                 + " JOIN test_execution e ON e.day = (u.received_at AT TIME ZONE 'UTC')::date AND e.upload_id = u.id"
                 + " WHERE u.repo = ? AND u.commit_sha = ? AND u.state = 'stored' AND e.status <> 'skipped'"
                 + " GROUP BY e.classname, e.name, e.variant HAVING bool_and(e.status IN ('failed', 'error'))"
                 + " ORDER BY min(u.received_at), min(e.seq) LIMIT ?")) {
            s.setString(1, repo);
            s.setString(2, sha);
            s.setInt(3, MAX_FAILING);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Those of {@code tests} in {@code repo} that flaky-test detection's verdict calls flaky now. */
    public Set<String> knownFlaky(String repo, List<String> tests) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        if (tests.isEmpty()) {
            return out;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT n FROM (SELECT " + NAME.formatted("t") + " AS n FROM flaky_test t"
                 + " WHERE t.repo = ? AND t.status = 'flaky') f WHERE n = ANY (?)")) {
            Array names = c.createArrayOf("text", tests.toArray());
            s.setString(1, repo);
            s.setArray(2, names);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
