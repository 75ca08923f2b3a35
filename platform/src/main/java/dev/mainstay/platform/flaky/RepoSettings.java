package dev.mainstay.platform.flaky;

import dev.mainstay.audit.AuditEvent;
import dev.mainstay.flaky.DetectionSettings;
import dev.mainstay.flaky.SettingsJson;
import dev.mainstay.platform.auditing.AuditTrail;
import dev.mainstay.platform.identity.Caller;
import dev.mainstay.platform.ingest.RepositoriesWithResults;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.logging.Logger;

/** A repository's detection thresholds: its stored overrides over {@link DetectionSettings#DEFAULTS}. */
@ApplicationScoped
public class RepoSettings {

    private static final Logger LOG = Logger.getLogger(RepoSettings.class.getName());

    @PersistenceContext(unitName = "mainstay")
    EntityManager em;

    private final AuditTrail audit;
    private final RepositoriesWithResults results;

    @Inject
    RepoSettings(AuditTrail audit, RepositoriesWithResults results) {
        this.audit = audit;
        this.results = results;
    }

    /** The overrides stored for {@code repo}, as the JSON object they were saved as. */
    @Transactional
    public Optional<String> overrides(String org, String repo) {
        @SuppressWarnings("unchecked")
        List<Object> rows = em.createNativeQuery("SELECT CAST(settings AS text) FROM flaky_settings WHERE org = ?1 AND repo = ?2")
            .setParameter(1, org).setParameter(2, repo).getResultList();
        return rows.stream().findFirst().map(Object::toString);
    }

    /**
     * The org's repositories that have test results (as ingest answers it, the same ones the Uploads
     * page counts stored uploads of), detection settings or a quarantine policy, by name: what the
     * settings page offers.
     */
    @Transactional
    public List<String> repos(String org) {
        @SuppressWarnings("unchecked")
        List<Object> configured = em.createNativeQuery("SELECT repo FROM flaky_settings WHERE org = ?1"
                + " UNION SELECT repo FROM flaky_quarantine_policy WHERE org = ?1")
            .setParameter(1, org).getResultList();
        TreeSet<String> repos = new TreeSet<>(results.of(org));
        configured.forEach(r -> repos.add(r.toString()));
        return List.copyOf(repos);
    }

    /**
     * Stores {@code json}, already checked to read as {@code settings}, as {@code repo}'s overrides, replacing any
     * before, and records who did it, from what to what.
     */
    @Transactional
    public void save(Caller by, String org, String repo, String json, DetectionSettings settings, Instant now) {
        String before = overrides(org, repo).orElse("{}");
        em.createNativeQuery("INSERT INTO flaky_settings (org, repo, settings, updated_at) VALUES (?1, ?2, CAST(?3 AS jsonb), ?4)"
                + " ON CONFLICT (org, repo) DO UPDATE SET settings = EXCLUDED.settings, updated_at = EXCLUDED.updated_at")
            .setParameter(1, org).setParameter(2, repo).setParameter(3, json).setParameter(4, Timestamp.from(now)).executeUpdate();
        audit.record(by.actor(), org, "flaky.settings.update", new AuditEvent.Target("repository", repo), AuditEvent.Outcome.SUCCESS,
            Map.of("before", before, "after", SettingsJson.write(settings)));
    }

    /** The settings {@code repo}'s tests are scored with, read on {@code c}. */
    static DetectionSettings effective(Connection c, String org, String repo) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT settings::text FROM flaky_settings WHERE org = ? AND repo = ?")) {
            s.setString(1, org);
            s.setString(2, repo);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return DetectionSettings.DEFAULTS;
                }
                try {
                    return SettingsJson.read(rs.getString(1), DetectionSettings.DEFAULTS);
                } catch (IllegalArgumentException e) {
                    // Saved settings were checked; this is a newer appliance's key read by an older one during an upgrade.
                    LOG.warning(() -> "the detection settings of " + org + "/" + repo + " cannot be used, so the defaults are: "
                        + e.getMessage());
                    return DetectionSettings.DEFAULTS;
                }
            }
        }
    }
}
