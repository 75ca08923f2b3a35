package dev.mainstay.platform.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads people, orgs and roles from Keycloak's admin REST API with Mainstay's own service
 * account (client credentials of the {@code mainstay} client, which holds realm-management's
 * view-users, query-groups and view-events roles).
 *
 * <p>Keycloak's Java admin client is not used at runtime: it brings RESTEasy, whose JAX-RS
 * implementation clashes with Helidon's Jersey in one class path. The few reads Mainstay
 * makes are plain JSON over {@code java.net.http}.
 */
@ApplicationScoped
public class KeycloakDirectory {

    /** How long a "still active member" answer may be used when Keycloak cannot be asked. */
    static final Duration STALE_LIMIT = Duration.ofSeconds(60);
    private static final Duration TIMEOUT = KeycloakHttp.TIMEOUT;

    private final IdentitySettings settings;
    private final AuthenticationPolicy policy;
    private final Clock clock;
    private final HttpClient http = KeycloakHttp.client();
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Membership> memberships = new ConcurrentHashMap<>();
    private volatile String accessToken;
    private volatile Instant accessTokenExpires = Instant.EPOCH;

    /**
     * A member of an org as Keycloak knows them.
     *
     * @param subject  Keycloak's user id
     * @param username their username
     * @param name     first and last name, or the username
     * @param email    e-mail address
     * @param enabled  whether the account is enabled
     */
    public record Member(String subject, String username, String name, String email, boolean enabled) {
    }

    private record Membership(boolean active, Instant checkedAt) {
    }

    @Inject
    KeycloakDirectory(IdentitySettings settings, AuthenticationPolicy policy, Clock clock) {
        this.settings = settings;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * Whether a user is enabled and still in {@code org}: asked again after the policy's
     * revalidation interval, so an API token stops working within a minute of its creator being
     * disabled or removed from the org.
     *
     * @throws OidcException when Keycloak cannot be asked and the last answer is too old to use
     */
    public boolean isActiveMember(String subject, String org) {
        String key = subject + " " + org;
        Instant now = clock.instant();
        Membership known = memberships.get(key);
        if (known != null && known.checkedAt().plus(policy.revalidateEvery()).isAfter(now)) {
            return known.active();
        }
        try {
            JsonNode user = getJson("/users/" + KeycloakHttp.pathSegment(subject), true);
            boolean active = user != null && user.path("enabled").asBoolean(false) && groupPaths(subject).contains(IdToken.ORG_GROUP_PREFIX + org);
            memberships.put(key, new Membership(active, now));
            return active;
        } catch (OidcException e) {
            if (known != null && known.checkedAt().plus(STALE_LIMIT).isAfter(now)) {
                return known.active();
            }
            throw e;
        }
    }

    /**
     * The members of an org, by username, without roles: reading another person's client roles
     * from Keycloak's admin API takes realm-management's view-clients, which would also let
     * Mainstay read every client's secret in the realm. Callers add the roles Mainstay saw in
     * each person's last ID token ({@link Sessions#lastKnownRoles}).
     */
    public List<Member> members(String org) {
        JsonNode group = getJson("/group-by-path/orgs/" + KeycloakHttp.pathSegment(org), true);
        if (group == null) {
            return List.of();
        }
        List<Member> members = new ArrayList<>();
        for (JsonNode user : getJson("/groups/" + KeycloakHttp.pathSegment(group.path("id").asText())
            + "/members?max=1000&briefRepresentation=true", false)) {
            String first = user.path("firstName").asText("");
            String last = user.path("lastName").asText("");
            String name = (first + " " + last).strip();
            members.add(new Member(user.path("id").asText(), user.path("username").asText(),
                name.isEmpty() ? user.path("username").asText() : name, user.path("email").asText(""),
                user.path("enabled").asBoolean(false)));
        }
        members.sort(Comparator.comparing(Member::username));
        return List.copyOf(members);
    }

    /**
     * A user event Keycloak stored (sign-in, failed sign-in, sign-out, second-factor change).
     *
     * @param id        Keycloak's id for the event
     * @param time      when it happened, epoch milliseconds
     * @param type      e.g. {@code LOGIN}, {@code LOGIN_ERROR}, {@code LOGOUT}, {@code UPDATE_CREDENTIAL}
     * @param userId    the user's subject, empty when unknown (a failed sign-in with an unknown name)
     * @param username  the username, when Keycloak recorded one
     * @param sessionId Keycloak's session id, or empty
     * @param clientId  the client the person signed in to, or empty
     * @param ipAddress where the request came from
     * @param error     Keycloak's error code for a failure, or empty
     * @param details   Keycloak's further details
     */
    public record UserEvent(String id, long time, String type, String userId, String username, String sessionId, String clientId,
                            String ipAddress, String error, Map<String, String> details) implements StoredEvent {
    }

    /** What every event Keycloak stores has: its id and when it happened (epoch milliseconds). */
    public interface StoredEvent {
        String id();

        long time();
    }

    /**
     * A change made through Keycloak's admin API or console (a role granted, a person added to a
     * group, a user disabled).
     *
     * @param id             Keycloak's id for the event
     * @param time           when it happened, epoch milliseconds
     * @param operation      {@code CREATE}, {@code UPDATE}, {@code DELETE} or {@code ACTION}
     * @param resourceType   e.g. {@code CLIENT_ROLE_MAPPING}, {@code GROUP_MEMBERSHIP}, {@code USER}
     * @param resourcePath   what changed, e.g. {@code users/<id>/role-mappings/clients/<id>}
     * @param authRealmId    the realm of the administrator who made the change
     * @param authUserId     the administrator's subject in that realm
     * @param authClientId   the client they used (Keycloak's internal id)
     * @param ipAddress      where the request came from
     * @param error          Keycloak's error for a refused change, or empty
     * @param representation the changed resource as JSON when the realm records details, or empty
     */
    public record AdminEvent(String id, long time, String operation, String resourceType, String resourcePath, String authRealmId,
                             String authUserId, String authClientId, String ipAddress, String error, String representation)
        implements StoredEvent {
    }

    /**
     * Up to {@code max} of the realm's admin events at or after {@code fromMillis}, oldest first,
     * skipping the first {@code first}. Needs realm-management's view-events role.
     */
    public List<AdminEvent> adminEvents(long fromMillis, int first, int max) {
        List<AdminEvent> events = new ArrayList<>();
        for (JsonNode e : getJson("/admin-events?direction=asc&dateFrom=" + fromMillis + "&first=" + first + "&max=" + max, false)) {
            JsonNode auth = e.path("authDetails");
            events.add(new AdminEvent(e.path("id").asText(""), e.path("time").asLong(), e.path("operationType").asText(""),
                e.path("resourceType").asText(""), e.path("resourcePath").asText(""), auth.path("realmId").asText(""),
                auth.path("userId").asText(""), auth.path("clientId").asText(""), auth.path("ipAddress").asText(""),
                e.path("error").asText(""), e.path("representation").asText("")));
        }
        return events;
    }

    /** The username of a person of this realm, or empty when there is no such person (any more). */
    public Optional<String> username(String subject) {
        JsonNode user = getJson("/users/" + KeycloakHttp.pathSegment(subject), true);
        return user == null ? Optional.empty() : Optional.of(user.path("username").asText("")).filter(u -> !u.isEmpty());
    }

    /**
     * Up to {@code max} of the realm's user events at or after {@code fromMillis}, oldest first,
     * skipping the first {@code first}. Needs realm-management's view-events role.
     */
    public List<UserEvent> events(long fromMillis, int first, int max) {
        List<UserEvent> events = new ArrayList<>();
        for (JsonNode e : getJson("/events?direction=asc&dateFrom=" + fromMillis + "&first=" + first + "&max=" + max, false)) {
            Map<String, String> details = new TreeMap<>();
            e.path("details").properties().forEach(d -> details.put(d.getKey(), d.getValue().asText()));
            events.add(new UserEvent(e.path("id").asText(""), e.path("time").asLong(), e.path("type").asText(""),
                e.path("userId").asText(""), details.getOrDefault("username", ""), e.path("sessionId").asText(""),
                e.path("clientId").asText(""), e.path("ipAddress").asText(""), e.path("error").asText(""), Map.copyOf(details)));
        }
        return events;
    }

    private List<String> groupPaths(String subject) {
        List<String> paths = new ArrayList<>();
        for (JsonNode group : getJson("/users/" + KeycloakHttp.pathSegment(subject) + "/groups?briefRepresentation=true&max=1000", false)) {
            paths.add(group.path("path").asText());
        }
        return paths;
    }

    private JsonNode getJson(String path, boolean absentIsNull) {
        URI uri = URI.create(adminBase() + path);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
            .header("Authorization", "Bearer " + accessToken()).header("Accept", "application/json").GET().build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() == 404 && absentIsNull) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new OidcException("Keycloak's admin API answered " + response.statusCode() + " at " + uri
                + (response.statusCode() == 403 ? "; the '" + settings.clientId() + "' service account needs realm-management's"
                + " view-users, query-groups and view-events roles (run ./mainstay keycloak bootstrap)" : ""));
        }
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new OidcException("Keycloak's admin API answered with something other than JSON at " + uri, e);
        }
    }

    private String accessToken() {
        Instant now = clock.instant();
        if (accessToken != null && accessTokenExpires.isAfter(now)) {
            return accessToken;
        }
        URI token = URI.create(settings.issuer().orElseThrow() + "/protocol/openid-connect/token");
        HttpRequest request = HttpRequest.newBuilder(token).timeout(TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Authorization", KeycloakHttp.clientCredentials(settings))
            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() != 200) {
            throw new OidcException("Keycloak refused Mainstay's service account (" + response.statusCode() + "); enable service"
                + " accounts on the '" + settings.clientId() + "' client");
        }
        try {
            JsonNode body = json.readTree(response.body());
            accessToken = body.path("access_token").asText();
            accessTokenExpires = now.plusSeconds(Math.max(5, body.path("expires_in").asLong(60) - 10));
            return accessToken;
        } catch (IOException e) {
            throw new OidcException("Keycloak's token answer is not JSON", e);
        }
    }

    private String adminBase() {
        try {
            return KeycloakHttp.Realm.ofIssuer(settings.issuer().orElseThrow()).adminUri().toString();
        } catch (IllegalArgumentException e) {
            throw new OidcException(e.getMessage());
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        return KeycloakHttp.send(http, request);
    }
}
