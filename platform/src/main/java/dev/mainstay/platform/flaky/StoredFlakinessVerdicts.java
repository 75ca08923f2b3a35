package dev.mainstay.platform.flaky;

import dev.mainstay.platform.app.ApplianceConfig;
import dev.mainstay.platform.ingest.StoredExecutions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/** {@link FlakinessVerdicts} from the stored verdicts ({@code flaky_test.status}). */
@ApplicationScoped
public class StoredFlakinessVerdicts implements FlakinessVerdicts {

    private static final String NAME = StoredExecutions.displayName("t");

    private final DataSource dataSource;

    @Inject
    public StoredFlakinessVerdicts(@Named(ApplianceConfig.DATA_SOURCE) DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Set<String> flakyAmong(String repo, List<String> tests) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        if (tests.isEmpty()) {
            return out;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT n FROM (SELECT " + NAME + " AS n FROM flaky_test t"
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
