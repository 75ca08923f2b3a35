package dev.mainstay.platform.ingest;

import dev.mainstay.platform.app.ApplianceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** {@link CommitResults} from the stored uploads of a commit and their executions. */
@ApplicationScoped
public class StoredCommitResults implements CommitResults {

    private static final String NAME = StoredExecutions.displayName("e");

    private final DataSource dataSource;

    @Inject
    public StoredCommitResults(@Named(ApplianceConfig.DATA_SOURCE) DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public List<String> failingTests(String repo, String sha) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT " + NAME + " FROM ingest_upload u"
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
}
