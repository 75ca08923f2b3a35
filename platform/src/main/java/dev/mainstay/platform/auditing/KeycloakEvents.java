package dev.mainstay.platform.auditing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.mainstay.audit.AuditCursor;
import dev.mainstay.audit.AuditEvent;
import dev.mainstay.audit.AuditLog;
import dev.mainstay.platform.identity.IdToken;
import dev.mainstay.platform.identity.KeycloakDirectory;
import dev.mainstay.platform.jobs.JobCatalogue;
import dev.mainstay.platform.jobs.JobDefinition;
import dev.mainstay.platform.jobs.ScheduledJob;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import javax.sql.DataSource;

/**
 * Pulls Keycloak's user events (sign-ins, failed sign-ins, sign-outs, second-factor changes) and
 * admin events (roles granted and revoked, people added to and removed from groups, users made,
 * changed, disabled) into the audit trail: the {@link JobCatalogue#KEYCLOAK_EVENTS} job.
 * Each kind has its own cursor (the time of the last event taken and the ids taken at that
 * millisecond) in {@code audit_cursor}, which moves in the same transaction as the events it
 * covers, under a row lock: a restart resumes where the last commit left off, and replicas never
 * take an event twice.
 *
 * <p>An event's trail time is when Mainstay recorded it, so the trail's times keep to its order;
 * Keycloak's own time is in the details ({@code occurred_at}), and is the time the audit page
 * shows for it ({@link AuditPages#occurredAt}).
 */
@ApplicationScoped
public class KeycloakEvents implements ScheduledJob {

    static final String SOURCE = "keycloak-events";
    /** The detail holding Keycloak's own time of the event, as ISO 8601. */
    static final String OCCURRED_AT = "occurred_at";
    static final String ADMIN_SOURCE = "keycloak-admin-events";
    static final int PAGE = 100;
    /** The most events one pull takes; the rest follow at the next interval. */
    static final int MOST_PER_PULL = 5_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final AuditSettings settings;
    private final KeycloakDirectory keycloak;
    private final Clock clock;
    private final AuditLog log;

    /**
     * Where the pull has got to.
     *
     * @param millis the time of the last event taken
     * @param ids    the ids of the events taken at that millisecond
     */
    record Cursor(long millis, Set<String> ids) {
        static final Cursor START = new Cursor(0, Set.of());

        static Cursor parse(String position) {
            int colon = position.indexOf(':');
            if (colon < 0) {
                return new Cursor(Long.parseLong(position), Set.of());
            }
            String ids = position.substring(colon + 1);
            return new Cursor(Long.parseLong(position.substring(0, colon)),
                ids.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(ids.split(","))));
        }

        String position() {
            return millis + ":" + String.join(",", ids);
        }

        boolean covers(KeycloakDirectory.StoredEvent e) {
            return e.time() < millis || (e.time() == millis && ids.contains(e.id()));
        }

        Cursor after(KeycloakDirectory.StoredEvent e) {
            if (e.time() == millis) {
                Set<String> more = new LinkedHashSet<>(ids);
                more.add(e.id());
                return new Cursor(millis, more);
            }
            return new Cursor(e.time(), Set.of(e.id()));
        }
    }

    @Inject
    KeycloakEvents(@Named("mainstay") DataSource dataSource, AuditSettings settings, KeycloakDirectory keycloak, Clock clock) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.keycloak = keycloak;
        this.clock = clock;
        this.log = new AuditLog(settings.crypto());
    }

    @Override
    public JobDefinition definition() {
        return JobCatalogue.KEYCLOAK_EVENTS;
    }

    /** Pulls once; counts the events {@code recorded}. */
    @Override
    public Map<String, Long> run(Instant now) throws SQLException {
        return Map.of("recorded", (long) pull());
    }

    /** A page of one kind of Keycloak event, oldest first. */
    @FunctionalInterface
    private interface Source<E extends KeycloakDirectory.StoredEvent> {
        List<E> page(long fromMillis, int first, int max);
    }

    /** Takes the user and admin events Keycloak stored since their cursors; returns how many were recorded. */
    public int pull() throws SQLException {
        int users = inTransaction(c -> pull(c, SOURCE, keycloak::events, KeycloakEvents::auditEvent));
        Map<String, String> usernames = new HashMap<>();
        int admins = inTransaction(c -> pull(c, ADMIN_SOURCE, keycloak::adminEvents, (e, now) -> auditEvent(e,
            usernames.computeIfAbsent(e.authUserId(), s -> s.isEmpty() ? "" : keycloak.username(s).orElse("")), now)));
        return users + admins;
    }

    @FunctionalInterface
    private interface Work {
        int run(Connection c) throws SQLException;
    }

    private int inTransaction(Work work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int taken = work.run(c);
                c.commit();
                return taken;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private <E extends KeycloakDirectory.StoredEvent> int pull(Connection c, String source, Source<E> events,
                                                               BiFunction<E, Instant, AuditEvent> record) throws SQLException {
        Instant now = clock.instant();
        Cursor cursor = Cursor.parse(AuditCursor.lock(c, source, Cursor.START.position(), now));
        int taken = 0;
        int first = 0;
        long from = cursor.millis();
        while (taken < MOST_PER_PULL) {
            List<E> page = events.page(from, first, PAGE);
            // Recorded after Keycloak answered: an event that happened while the page was asked for is never recorded before it happened.
            Instant recordedAt = clock.instant();
            for (E e : page) {
                if (cursor.covers(e)) {
                    continue;
                }
                log.append(c, record.apply(e, recordedAt));
                cursor = cursor.after(e);
                taken++;
            }
            if (page.size() < PAGE) {
                break;
            }
            first += page.size();
        }
        AuditCursor.move(c, source, cursor.position(), now);
        return taken;
    }

    /** The trail's record of a Keycloak event: {@code keycloak.<type>}, a failure when Keycloak reported an error. */
    static AuditEvent auditEvent(KeycloakDirectory.UserEvent e, Instant recordedAt) {
        String type = e.type().toUpperCase(Locale.ROOT);
        boolean failed = type.endsWith("_ERROR") || !e.error().isEmpty();
        String base = type.endsWith("_ERROR") ? type.substring(0, type.length() - "_ERROR".length()) : type;
        String action = "keycloak." + base.toLowerCase(Locale.ROOT).replace('_', '-');
        Map<String, String> details = new TreeMap<>();
        details.put(OCCURRED_AT, Instant.ofEpochMilli(e.time()).toString());
        details.put("keycloak_event_id", e.id());
        putIfSet(details, "client", e.clientId());
        putIfSet(details, "error", e.error());
        for (String key : List.of("auth_method", "credential_type", "redirect_uri", "reason")) {
            putIfSet(details, key, e.details().getOrDefault(key, ""));
        }
        AuditEvent.Actor actor = new AuditEvent.Actor("user", e.userId(), e.username(), "", e.details().getOrDefault("auth_method", ""));
        return new AuditEvent(recordedAt, actor, new AuditEvent.Request(e.ipAddress(), "", "", ""), "", action,
            new AuditEvent.Target("keycloak-session", e.sessionId()), failed ? AuditEvent.Outcome.FAILURE : AuditEvent.Outcome.SUCCESS,
            details);
    }

    /**
     * The trail's record of a change made through Keycloak's admin API:
     * {@code keycloak.admin.<resource-type>.<operation>}, e.g.
     * {@code keycloak.admin.client-role-mapping.create} for a role granted. Of the changed
     * resource only what an auditor needs is kept (role names, a group's path, whether a user is
     * enabled): representations can carry e-mail addresses and client secrets, which must not
     * reach the trail. A group under {@code /orgs/} puts the event in that org.
     *
     * @param actorName the administrator's username, or empty when they are not a person of this realm
     */
    static AuditEvent auditEvent(KeycloakDirectory.AdminEvent e, String actorName, Instant recordedAt) {
        String resource = kebab(e.resourceType());
        String action = "keycloak.admin." + resource + "." + e.operation().toLowerCase(Locale.ROOT);
        Map<String, String> details = new TreeMap<>();
        details.put(OCCURRED_AT, Instant.ofEpochMilli(e.time()).toString());
        details.put("keycloak_event_id", e.id());
        putIfSet(details, "auth_realm", e.authRealmId());
        putIfSet(details, "auth_client", e.authClientId());
        putIfSet(details, "error", e.error());
        String[] path = e.resourcePath().split("/");
        if (path.length >= 2 && path[0].equals("users")) {
            details.put("subject", path[1]);
        }
        String org = "";
        JsonNode representation = representation(e.representation());
        if (e.resourceType().endsWith("ROLE_MAPPING") && representation.isArray()) {
            List<String> roles = new ArrayList<>();
            representation.forEach(role -> roles.add(role.path("name").asText("")));
            putIfSet(details, "roles", String.join(",", roles));
        } else if (e.resourceType().startsWith("GROUP") && representation.path("path").isTextual()) {
            String group = representation.path("path").asText();
            details.put("group", group);
            if (group.startsWith(IdToken.ORG_GROUP_PREFIX) && group.length() > IdToken.ORG_GROUP_PREFIX.length()) {
                org = group.substring(IdToken.ORG_GROUP_PREFIX.length()).split("/")[0];
            }
        } else if (e.resourceType().equals("USER") && representation.path("enabled").isBoolean()) {
            details.put("enabled", representation.path("enabled").asText());
        }
        AuditEvent.Actor actor = new AuditEvent.Actor("user", e.authUserId(), actorName, "", "");
        return new AuditEvent(recordedAt, actor, new AuditEvent.Request(e.ipAddress(), "", "", ""), org, action,
            new AuditEvent.Target("keycloak-" + resource, e.resourcePath()),
            e.error().isEmpty() ? AuditEvent.Outcome.SUCCESS : AuditEvent.Outcome.FAILURE, details);
    }

    private static String kebab(String keycloakName) {
        return keycloakName.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static JsonNode representation(String json) {
        if (json.isEmpty()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    private static void putIfSet(Map<String, String> details, String key, String value) {
        if (value != null && !value.isEmpty()) {
            details.put(key, value);
        }
    }
}
