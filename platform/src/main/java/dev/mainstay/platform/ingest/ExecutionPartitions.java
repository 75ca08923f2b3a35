package dev.mainstay.platform.ingest;

import dev.mainstay.platform.app.ApplianceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * The daily partitions of {@code test_execution}, made before an upload's transaction begins, on
 * their own connection: DDL inside the upload would hold a lock on the partitioned table until
 * the upload ends, and two uploads on a new day would wait on each other. Retention drops them.
 */
@ApplicationScoped
class ExecutionPartitions {

    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.BASIC_ISO_DATE;

    private final DataSource dataSource;
    private final Set<LocalDate> known = ConcurrentHashMap.newKeySet();

    @Inject
    ExecutionPartitions(@Named(ApplianceConfig.DATA_SOURCE) DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The partition's name for {@code day}, e.g. {@code test_execution_p20261122}. */
    static String name(LocalDate day) {
        return "test_execution_p" + SUFFIX.format(day);
    }

    /** Makes the partition for {@code day} unless it exists. */
    void ensure(LocalDate day) {
        if (known.contains(day)) {
            return;
        }
        String sql = "CREATE TABLE IF NOT EXISTS " + name(day) + " PARTITION OF test_execution FOR VALUES FROM ('" + day
            + "') TO ('" + day.plusDays(1) + "')";
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            try {
                s.execute(sql);
            } catch (SQLException e) {
                // Another replica made it at the same moment: IF NOT EXISTS does not cover that race.
                if (!"42P07".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                    throw e;
                }
            }
            known.add(day);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot make the test_execution partition for " + day + ": " + e.getMessage(), e);
        }
    }
}
