package dev.mainstay.platform.queue.worker;

import dev.mainstay.platform.app.ApplianceConfig;
import dev.mainstay.queue.engine.DequeueReason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * What left the merge queues and the figures over every queue, read from the history the queue
 * worker writes with each event it applies (so every replica reads the same figures).
 */
@ApplicationScoped
public class QueueHistory {

    /** The outcome of a pull request that merged; any other is a {@link DequeueReason} in lower case. */
    public static final String MERGED = "merged";
    /** History rows are deleted this long after the pull request left. */
    static final Duration KEEP = Duration.ofDays(90);

    private final DataSource dataSource;

    @Inject
    QueueHistory(@Named(ApplianceConfig.DATA_SOURCE) DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The merge queues' figures at {@code now}, over every queue.
     *
     * @param queued          pull requests in a queue
     * @param testing         candidate tests being built or running: the CI slots in use
     * @param mergedLastHour  pull requests merged in the hour before {@code now}
     * @param ejectedLastDay  pull requests that left without merging in the day before {@code now}, per dequeue reason (every reason, 0 when none)
     * @param medianSeconds   median time in the queue of the pull requests merged in the last day; 0 when none did
     * @param p90Seconds      90th percentile of that
     */
    public record Figures(long queued, long testing, long mergedLastHour, Map<DequeueReason, Long> ejectedLastDay,
                          double medianSeconds, double p90Seconds) {
    }

    /** The figures at {@code now}. */
    public Figures figures(Instant now) throws SQLException {
        Timestamp hourAgo = Timestamp.from(now.minus(Duration.ofHours(1)));
        Timestamp dayAgo = Timestamp.from(now.minus(Duration.ofDays(1)));
        try (Connection c = dataSource.getConnection()) {
            long queued;
            long testing;
            try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(sum(depth), 0), COALESCE(sum(testing), 0) FROM merge_queue");
                 ResultSet rs = s.executeQuery()) {
                rs.next();
                queued = rs.getLong(1);
                testing = rs.getLong(2);
            }
            long merged = 0;
            Map<DequeueReason, Long> ejected = new LinkedHashMap<>();
            for (DequeueReason reason : DequeueReason.values()) {
                ejected.put(reason, 0L);
            }
            try (PreparedStatement s = c.prepareStatement("SELECT outcome, count(*) FILTER (WHERE left_at >= ?), count(*)"
                + " FROM merge_queue_history WHERE left_at >= ? GROUP BY outcome")) {
                s.setTimestamp(1, hourAgo);
                s.setTimestamp(2, dayAgo);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        String outcome = rs.getString(1);
                        if (outcome.equals(MERGED)) {
                            merged = rs.getLong(2);
                        } else {
                            Optional<DequeueReason> reason = reasonOf(outcome);
                            if (reason.isPresent()) {
                                ejected.merge(reason.get(), rs.getLong(3), Long::sum);
                            }
                        }
                    }
                }
            }
            double median;
            double p90;
            try (PreparedStatement s = c.prepareStatement("SELECT"
                + " percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM left_at - enqueued_at)),"
                + " percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM left_at - enqueued_at))"
                + " FROM merge_queue_history WHERE outcome = ? AND left_at >= ?")) {
                s.setString(1, MERGED);
                s.setTimestamp(2, dayAgo);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    median = rs.getDouble(1);
                    p90 = rs.getDouble(2);
                }
            }
            return new Figures(queued, testing, merged, Map.copyOf(ejected), median, p90);
        }
    }

    /** A pull request that left a queue: merged, or why it was dequeued. */
    public record Left(int pr, String outcome, Instant enqueuedAt, Instant leftAt) {

        /** How long it was in the queue. */
        public Duration inQueue() {
            return Duration.between(enqueuedAt, leftAt);
        }

        public boolean merged() {
            return outcome.equals(MERGED);
        }
    }

    /** The {@code limit} pull requests that left queue {@code queue} last, latest first. */
    public List<Left> recent(UUID queue, int limit) throws SQLException {
        List<Left> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT pr, outcome, enqueued_at, left_at FROM merge_queue_history"
                 + " WHERE queue_id = ? ORDER BY left_at DESC, pr LIMIT ?")) {
            s.setObject(1, queue);
            s.setInt(2, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Left(rs.getInt(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant()));
                }
            }
        }
        return out;
    }

    /** The median time queue {@code queue}'s candidate tests took, over those that finished since {@code since}; empty when none did. */
    public Optional<Duration> medianTest(UUID queue, Instant since) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT percentile_cont(0.5) WITHIN GROUP"
                 + " (ORDER BY extract(epoch FROM finished_at - started_at)) FROM merge_queue_test WHERE queue_id = ? AND finished_at >= ?")) {
            s.setObject(1, queue);
            s.setTimestamp(2, Timestamp.from(since));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                double seconds = rs.getDouble(1);
                return rs.wasNull() ? Optional.empty() : Optional.of(Duration.ofMillis(Math.round(seconds * 1000)));
            }
        }
    }

    /** The reason an outcome names; empty for one this appliance does not know (written by a newer one). */
    static Optional<DequeueReason> reasonOf(String outcome) {
        try {
            return Optional.of(DequeueReason.valueOf(outcome.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
