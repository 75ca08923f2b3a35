package dev.mainstay.platform.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mainstay.platform.app.ApplianceConfig;
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

/** The record of job runs, {@code job_run}: one row a run, written when it starts and finished with its outcome. */
@ApplicationScoped
public class JobRuns {

    /** The longest error text kept with a failed run. */
    static final int MAX_ERROR = 1000;
    /** Run records are deleted this long after the run started. */
    static final Duration KEEP = Duration.ofDays(90);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Long>> COUNTS = new TypeReference<>() {
    };

    private final DataSource dataSource;

    /** How a run ended, as stored in {@code job_run.outcome}. */
    public enum Outcome {
        /** Still under way, or its replica died and no other has recovered it yet. */
        RUNNING,
        SUCCEEDED,
        FAILED,
        /** Its replica died during the run; another replica ran the job again. */
        INTERRUPTED;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One run.
     *
     * @param triggeredBy {@code schedule}, {@code retry}, {@code recovery} or {@code person:<username>}
     * @param finished    empty while running
     * @param error       why it failed, cut to {@value #MAX_ERROR} characters
     */
    public record Run(UUID id, String job, String replica, String triggeredBy, int attempt, Instant started, Optional<Instant> finished,
                      Outcome outcome, Map<String, Long> counts, Optional<String> error) {
        /** How long it took; empty while running. */
        public Optional<Duration> duration() {
            return finished.map(f -> Duration.between(started, f));
        }
    }

    @Inject
    JobRuns(@Named(ApplianceConfig.DATA_SOURCE) DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records a run as started, on {@code c}, in the transaction open there. */
    UUID start(Connection c, String job, String replica, String triggeredBy, int attempt, Instant now) throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO job_run (id, job, replica, triggered_by, attempt, started)"
            + " VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setObject(1, id);
            s.setString(2, job);
            s.setString(3, replica);
            s.setString(4, triggeredBy);
            s.setInt(5, attempt);
            s.setTimestamp(6, Timestamp.from(now));
            s.executeUpdate();
        }
        return id;
    }

    /** Records how a run ended, on {@code c}, in the transaction open there. */
    void finish(Connection c, UUID run, Outcome outcome, Map<String, Long> counts, Optional<String> error, Instant now)
        throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE job_run SET finished = ?, outcome = ?, counts = ?::jsonb, error = ?"
            + " WHERE id = ?")) {
            s.setTimestamp(1, Timestamp.from(now));
            s.setString(2, outcome.word());
            s.setString(3, json(counts));
            s.setString(4, error.map(JobRuns::cut).orElse(null));
            s.setObject(5, run);
            s.executeUpdate();
        }
    }

    /**
     * Marks {@code job}'s runs still open on replicas other than {@code replica} as interrupted: a
     * recovering run is only made when the replica that ran the job was taken for dead, and no two
     * runs of one job overlap.
     *
     * @return how many were marked
     */
    int interrupted(Connection c, String job, String replica, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE job_run SET outcome = 'interrupted', finished = ?,"
            + " error = 'the replica running it stopped during the run' WHERE job = ? AND replica <> ? AND outcome = 'running'")) {
            s.setTimestamp(1, Timestamp.from(now));
            s.setString(2, job);
            s.setString(3, replica);
            return s.executeUpdate();
        }
    }

    /** {@code job}'s last {@code limit} runs, newest first. */
    public List<Run> recent(String job, int limit) throws SQLException {
        List<Run> runs = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT id, job, replica, triggered_by, attempt, started, finished, outcome,"
                 + " counts::text, error FROM job_run WHERE job = ? ORDER BY started DESC LIMIT ?")) {
            s.setString(1, job);
            s.setInt(2, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Timestamp finished = rs.getTimestamp(7);
                    runs.add(new Run(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                        rs.getTimestamp(6).toInstant(), Optional.ofNullable(finished).map(Timestamp::toInstant),
                        Outcome.valueOf(rs.getString(8).toUpperCase(Locale.ROOT)), counts(rs.getString(9)),
                        Optional.ofNullable(rs.getString(10))));
                }
            }
        }
        return runs;
    }

    /** Deletes the records of runs that started more than {@link #KEEP} before {@code now}; returns how many. */
    long prune(Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return Retention.deleteBefore(c, "DELETE FROM job_run WHERE started < ?", now.minus(KEEP));
        }
    }

    static String cut(String error) {
        return error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR - 1) + "…";
    }

    private static String json(Map<String, Long> counts) {
        try {
            return JSON.writeValueAsString(counts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("counts of longs always make JSON", e);
        }
    }

    private static Map<String, Long> counts(String json) {
        try {
            return JSON.readValue(json, COUNTS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("job_run.counts holds JSON that is not a map of counts: " + json, e);
        }
    }
}
