package dev.mainstay.platform.identity;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RequiredActionProviderRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * {@code mainstay keycloak bootstrap}: makes a realm in the customer's Keycloak what Mainstay
 * needs, through the admin REST API, changing only what differs, so that running it again
 * changes nothing. In check mode it only reports what it would change.
 *
 * <p>What it sets, and nothing else:
 * <ul>
 *   <li>realm: brute-force detection on; login and admin events stored, with an expiration (90
 *       days unless one is set); the ACR-to-LoA map of {@code policies/authentication.yaml}
 *       ({@code password = 1, mfa = 2} as shipped);
 *       {@code CONFIGURE_TOTP} a default required action; WebAuthn registration enabled; the
 *       {@link BrowserFlow} bound as the browser flow; the group {@code /orgs}.</li>
 *   <li>client: confidential, code flow only, PKCE S256, the exact redirect URI
 *       {@code <public-url>/auth/callback} and post-logout URI {@code <public-url>/auth/signed-out},
 *       the minimum ACR the policy requires ({@code mfa}), the configured secret, {@code groups} and {@code roles} claims,
 *       the default scopes that carry {@code acr}, the human roles of {@code policies/access.yaml}
 *       as client roles, and a service account that may read users, groups and the realm.</li>
 * </ul>
 * Realm-wide settings (events, brute force, browser flow) are shared with every other client of
 * the realm; that is why each change is printed, and why {@code --check} exists.
 */
public final class RealmBootstrap {

    /** Events kept for 90 days when the realm sets no expiration. */
    static final long EVENTS_EXPIRATION_SECONDS = 90L * 24 * 3600;
    static final List<String> SERVICE_ACCOUNT_ROLES = List.of("view-users", "query-users", "query-groups", "view-realm", "view-events");
    static final List<String> DEFAULT_SCOPES = List.of("basic", "acr", "profile", "email", "roles");
    static final String ORGS_GROUP = "orgs";
    /** The user attribute with a person's GitHub login, for the merge queue's write-access check on GitHub. */
    static final String GITHUB_LOGIN_ATTRIBUTE = "github_login";
    private static final String REALM_MANAGEMENT = "realm-management";
    private static final String ADMIN_EVENTS_EXPIRATION = "adminEventsExpiration";
    private static final String ACR_LOA_MAP = "acr.loa.map";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Apply the changes, or only report them. */
    public enum Mode { APPLY, CHECK }

    private final KeycloakAdminClient keycloak;
    private final AuthenticationPolicy authentication;
    private final Mode mode;
    private final Consumer<String> out;
    private final List<String> changes = new ArrayList<>();

    private RealmBootstrap(KeycloakAdminClient keycloak, AuthenticationPolicy authentication, Mode mode, Consumer<String> out) {
        this.keycloak = keycloak;
        this.authentication = authentication;
        this.mode = mode;
        this.out = out;
    }

    /**
     * Brings the realm named by the issuer to Mainstay's settings.
     *
     * @param clock tells when the admin access token expires
     * @param out   receives one line per step and per change
     * @return the changes made (APPLY) or needed (CHECK); empty when the realm was already right
     * @throws KeycloakAdminException when Keycloak cannot be reached or refuses the admin account or a change
     */
    public static List<String> run(IdentitySettings identity, KeycloakAdminSettings admin, Policies policies, Mode mode,
                                   Clock clock, Consumer<String> out) {
        URI issuer = identity.issuer().orElseThrow(() -> new IllegalArgumentException(IdentitySettings.ISSUER + " is not set"));
        KeycloakHttp.Realm target = KeycloakHttp.Realm.ofIssuer(issuer);
        String realm = target.name();
        KeycloakAdminClient keycloak = new KeycloakAdminClient(target, admin, clock);
        RealmBootstrap bootstrap = new RealmBootstrap(keycloak, policies.authentication(), mode, out);
        out.accept((mode == Mode.CHECK ? "Checking" : "Setting up") + " realm " + realm + " at " + target.base());
        if (!keycloak.realmExists()) {
            bootstrap.change("realm " + realm, "create it");
            if (mode == Mode.CHECK) {
                return bootstrap.changes;
            }
            keycloak.createRealm();
        }
        bootstrap.realmSettings();
        bootstrap.requiredActions();
        bootstrap.orgsGroup();
        bootstrap.userProfile();
        bootstrap.client(identity, policies.access());
        bootstrap.browserFlow();
        return bootstrap.changes;
    }

    private void change(String subject, String what) {
        changes.add(subject + ": " + what);
        out.accept((mode == Mode.CHECK ? "  would change " : "  changed ") + subject + ": " + what);
    }

    private boolean applying() {
        return mode == Mode.APPLY;
    }

    private void realmSettings() {
        RealmRepresentation realm = keycloak.get("", new TypeReference<>() { });
        RealmRepresentation update = new RealmRepresentation();
        Map<String, String> attributes = new HashMap<>(Objects.requireNonNullElse(realm.getAttributes(), Map.of()));
        int before = changes.size();
        if (!Boolean.TRUE.equals(realm.isBruteForceProtected())) {
            update.setBruteForceProtected(true);
            note("brute-force detection", "on");
        }
        if (!Boolean.TRUE.equals(realm.isEventsEnabled())) {
            update.setEventsEnabled(true);
            note("login events", "stored");
        }
        if (realm.getEventsExpiration() == null || realm.getEventsExpiration() <= 0) {
            update.setEventsExpiration(EVENTS_EXPIRATION_SECONDS);
            note("login events", "expire after " + EVENTS_EXPIRATION_SECONDS + " s");
        }
        if (!Boolean.TRUE.equals(realm.isAdminEventsEnabled()) || !Boolean.TRUE.equals(realm.isAdminEventsDetailsEnabled())) {
            update.setAdminEventsEnabled(true);
            update.setAdminEventsDetailsEnabled(true);
            note("admin events", "stored, with representations");
        }
        if (positive(attributes.get(ADMIN_EVENTS_EXPIRATION)).isEmpty()) {
            attributes.put(ADMIN_EVENTS_EXPIRATION, Long.toString(EVENTS_EXPIRATION_SECONDS));
            note("admin events", "expire after " + EVENTS_EXPIRATION_SECONDS + " s");
        }
        String loaMap = loaJson(authentication.levels());
        if (!authentication.levels().equals(parseLoaMap(attributes.get(ACR_LOA_MAP)))) {
            attributes.put(ACR_LOA_MAP, loaMap);
            note("ACR-to-LoA map", loaMap);
        }
        if (changes.size() > before && applying()) {
            update.setAttributes(attributes);
            keycloak.put("", update);
        }
    }

    private void note(String what, String value) {
        change("realm " + keycloak.realm(), what + " -> " + value);
    }

    private void requiredActions() {
        ensureRequiredAction("CONFIGURE_TOTP", true);
        ensureRequiredAction("webauthn-register", false);
    }

    private void ensureRequiredAction(String alias, boolean defaultAction) {
        Optional<RequiredActionProviderRepresentation> found =
            keycloak.find("/authentication/required-actions/" + alias, new TypeReference<>() { });
        RequiredActionProviderRepresentation action = found.orElseThrow(() -> new KeycloakAdminException(
            "realm " + keycloak.realm() + " has no required action " + alias + "; Keycloak registers it by default,"
                + " so it was deleted: register it again under Authentication > Required actions"));
        boolean wantDefault = defaultAction || action.isDefaultAction();
        if (!action.isEnabled() || action.isDefaultAction() != wantDefault) {
            change("required action " + alias, "enabled" + (defaultAction ? ", default for new users" : ""));
            if (applying()) {
                action.setEnabled(true);
                action.setDefaultAction(wantDefault);
                keycloak.put("/authentication/required-actions/" + alias, action);
            }
        }
    }

    private void orgsGroup() {
        List<GroupRepresentation> groups = keycloak.get("/groups?exact=true&briefRepresentation=true&search=" + ORGS_GROUP,
            new TypeReference<>() { });
        if (groups.stream().noneMatch(g -> ("/" + ORGS_GROUP).equals(g.getPath()))) {
            change("group /" + ORGS_GROUP, "create it (each org is a sub-group /orgs/<slug>)");
            if (applying()) {
                GroupRepresentation group = new GroupRepresentation();
                group.setName(ORGS_GROUP);
                keycloak.post("/groups", group);
            }
        }
    }

    /**
     * Declares {@value #GITHUB_LOGIN_ATTRIBUTE} in the realm's user profile (Keycloak keeps only declared
     * attributes): administrators, or a directory's attribute mapper, set it where a person's GitHub
     * login differs from their user name; people see it but cannot change it.
     */
    private void userProfile() {
        ObjectNode profile = keycloak.get("/users/profile", new TypeReference<>() { });
        ArrayNode attributes = profile.path("attributes").isArray() ? (ArrayNode) profile.get("attributes") : profile.putArray("attributes");
        for (JsonNode attribute : attributes) {
            if (GITHUB_LOGIN_ATTRIBUTE.equals(attribute.path("name").asText())) {
                return;
            }
        }
        change("user profile", "declare the '" + GITHUB_LOGIN_ATTRIBUTE + "' attribute (set by administrators)");
        if (applying()) {
            ObjectNode attribute = attributes.addObject();
            attribute.put("name", GITHUB_LOGIN_ATTRIBUTE).put("displayName", "GitHub login").put("multivalued", false);
            ObjectNode validations = attribute.putObject("validations");
            validations.putObject("length").put("max", 39);
            validations.putObject("pattern").put("pattern", "^[A-Za-z0-9][A-Za-z0-9_-]*$")
                .put("error-message", "a GitHub login: letters, digits, '-' and '_'");
            ObjectNode permissions = attribute.putObject("permissions");
            permissions.putArray("view").add("admin").add("user");
            permissions.putArray("edit").add("admin");
            keycloak.put("/users/profile", profile);
        }
    }

    private void client(IdentitySettings identity, AccessPolicy access) {
        String clientId = identity.clientId();
        String subject = "client " + clientId;
        String secret = identity.clientSecret().orElseThrow(
            () -> new IllegalArgumentException(IdentitySettings.CLIENT_SECRET + " is not set"));
        String publicUrl = identity.publicUrl().orElseThrow(
            () -> new IllegalArgumentException(IdentitySettings.PUBLIC_URL + " is not set")).toString();
        ClientSettings desired = ClientSettings.of(clientId, publicUrl, loaJson(authentication.levels()),
            authentication.requiredAcr());
        List<ClientRepresentation> found = keycloak.get("/clients?clientId=" + KeycloakHttp.pathSegment(clientId),
            new TypeReference<>() { });
        if (found.isEmpty()) {
            change(subject, "create it");
            if (!applying()) {
                return;
            }
            ClientRepresentation created = desired.apply(new ClientRepresentation());
            created.setSecret(secret);
            created.setDefaultClientScopes(DEFAULT_SCOPES);
            keycloak.post("/clients", created);
            found = keycloak.get("/clients?clientId=" + KeycloakHttp.pathSegment(clientId), new TypeReference<>() { });
        } else {
            ClientRepresentation client = found.get(0);
            List<String> differences = desired.differences(client);
            differences.forEach(d -> change(subject, d));
            String current = keycloak.get("/clients/" + client.getId() + "/client-secret",
                new TypeReference<CredentialRepresentation>() { }).getValue();
            if (!secret.equals(current)) {
                change(subject, "secret -> the one in " + IdentitySettings.CLIENT_SECRET);
            }
            if (applying() && (!differences.isEmpty() || !secret.equals(current))) {
                ClientRepresentation update = desired.apply(client);
                update.setSecret(secret);
                keycloak.put("/clients/" + client.getId(), update);
            }
        }
        String id = found.get(0).getId();
        mappers(subject, id, desired);
        defaultScopes(subject, id);
        clientRoles(subject, id, access);
        serviceAccount(subject, id);
    }

    private void mappers(String subject, String clientId, ClientSettings desired) {
        List<ProtocolMapperRepresentation> current = keycloak.get("/clients/" + clientId + "/protocol-mappers/models",
            new TypeReference<>() { });
        for (ProtocolMapperRepresentation want : desired.mappers()) {
            Optional<ProtocolMapperRepresentation> have = current.stream().filter(m -> want.getName().equals(m.getName())).findFirst();
            if (have.isEmpty()) {
                change(subject, "add the '" + want.getName() + "' claim");
                if (applying()) {
                    keycloak.post("/clients/" + clientId + "/protocol-mappers/models", want);
                }
            } else if (!want.getProtocolMapper().equals(have.get().getProtocolMapper())
                || !have.get().getConfig().entrySet().containsAll(want.getConfig().entrySet())) {
                change(subject, "correct the '" + want.getName() + "' claim");
                if (applying()) {
                    ProtocolMapperRepresentation update = have.get();
                    update.setProtocolMapper(want.getProtocolMapper());
                    Map<String, String> config = new LinkedHashMap<>(update.getConfig());
                    config.putAll(want.getConfig());
                    update.setConfig(config);
                    keycloak.put("/clients/" + clientId + "/protocol-mappers/models/" + update.getId(), update);
                }
            }
        }
    }

    private void defaultScopes(String subject, String clientId) {
        Set<String> current = keycloak.get("/clients/" + clientId + "/default-client-scopes",
                new TypeReference<List<ClientScopeRepresentation>>() { })
            .stream().map(ClientScopeRepresentation::getName).collect(Collectors.toSet());
        List<String> missing = DEFAULT_SCOPES.stream().filter(s -> !current.contains(s)).toList();
        if (missing.isEmpty()) {
            return;
        }
        change(subject, "add default client scopes " + missing);
        if (!applying()) {
            return;
        }
        Map<String, String> scopeIds = keycloak.get("/client-scopes", new TypeReference<List<ClientScopeRepresentation>>() { })
            .stream().collect(Collectors.toMap(ClientScopeRepresentation::getName, ClientScopeRepresentation::getId, (a, b) -> a));
        for (String scope : missing) {
            String scopeId = Optional.ofNullable(scopeIds.get(scope)).orElseThrow(() -> new KeycloakAdminException(
                "realm " + keycloak.realm() + " has no client scope '" + scope + "' (Keycloak 26 creates it with a new realm)"));
            keycloak.put("/clients/" + clientId + "/default-client-scopes/" + scopeId, Map.of());
        }
    }

    private void clientRoles(String subject, String clientId, AccessPolicy access) {
        Set<String> current = keycloak.get("/clients/" + clientId + "/roles", new TypeReference<List<RoleRepresentation>>() { })
            .stream().map(RoleRepresentation::getName).collect(Collectors.toSet());
        for (AccessPolicy.Role role : access.roles().values()) {
            if (role.kind() == AccessPolicy.Kind.HUMAN && !current.contains(role.name())) {
                change(subject, "add the role " + role.name());
                if (applying()) {
                    keycloak.post("/clients/" + clientId + "/roles", new RoleRepresentation(role.name(), role.description(), false));
                }
            }
        }
    }

    private void serviceAccount(String subject, String clientId) {
        ClientRepresentation realmManagement = keycloak.get("/clients?clientId=" + REALM_MANAGEMENT,
                new TypeReference<List<ClientRepresentation>>() { })
            .stream().findFirst().orElseThrow(() -> new KeycloakAdminException("realm " + keycloak.realm()
                + " has no " + REALM_MANAGEMENT + " client"));
        String rm = realmManagement.getId();
        if (!applying() && keycloak.find("/clients/" + clientId + "/service-account-user",
                new TypeReference<UserRepresentation>() { }).isEmpty()) {
            change(subject, "give its service account " + SERVICE_ACCOUNT_ROLES);
            return;
        }
        UserRepresentation account = keycloak.get("/clients/" + clientId + "/service-account-user", new TypeReference<>() { });
        grant(subject + " service account", "/users/" + account.getId() + "/role-mappings/clients/" + rm, rm);
        // The client has no full scope: its tokens carry only the roles in its scope.
        grant(subject + " scope", "/clients/" + clientId + "/scope-mappings/clients/" + rm, rm);
    }

    private void grant(String subject, String path, String realmManagementId) {
        Set<String> current = keycloak.get(path, new TypeReference<List<RoleRepresentation>>() { })
            .stream().map(RoleRepresentation::getName).collect(Collectors.toSet());
        List<String> missing = SERVICE_ACCOUNT_ROLES.stream().filter(r -> !current.contains(r)).toList();
        if (missing.isEmpty()) {
            return;
        }
        change(subject, "add " + REALM_MANAGEMENT + " roles " + missing);
        if (applying()) {
            List<RoleRepresentation> roles = missing.stream()
                .map(r -> keycloak.get("/clients/" + realmManagementId + "/roles/" + r, new TypeReference<RoleRepresentation>() { }))
                .toList();
            keycloak.post(path, roles);
        }
    }

    private void browserFlow() {
        BrowserFlow flow = new BrowserFlow(keycloak);
        Optional<String> existing = flow.existingId();
        RealmRepresentation realm = keycloak.get("", new TypeReference<>() { });
        boolean bound = BrowserFlow.ALIAS.equals(realm.getBrowserFlow());
        String subject = "browser flow '" + BrowserFlow.ALIAS + "'";
        if (existing.isEmpty()) {
            change(subject, "create it");
        } else if (!flow.actualRows().equals(BrowserFlow.expectedRows())) {
            change(subject, "rebuild it: it differs from Mainstay's");
            if (applying()) {
                if (bound) {
                    // Keycloak refuses to delete a bound flow; logins use the built-in flow for a moment.
                    bindBrowserFlow("browser");
                    bound = false;
                }
                flow.delete(existing.get());
            }
            existing = Optional.empty();
        }
        if (existing.isEmpty() && applying()) {
            flow.create();
        }
        if (!bound) {
            change("realm " + keycloak.realm(), "browser flow -> '" + BrowserFlow.ALIAS + "'");
            if (applying()) {
                bindBrowserFlow(BrowserFlow.ALIAS);
            }
        }
    }

    private void bindBrowserFlow(String alias) {
        RealmRepresentation update = new RealmRepresentation();
        update.setBrowserFlow(alias);
        keycloak.put("", update);
    }

    private static Optional<Long> positive(String value) {
        try {
            return Optional.ofNullable(value).map(Long::parseLong).filter(v -> v > 0);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** An {@code acr.loa.map} attribute's map; empty when it is absent or not such JSON. */
    static Map<String, Integer> parseLoaMap(String value) {
        if (value == null) {
            return Map.of();
        }
        try {
            return JSON.readValue(value, new TypeReference<Map<String, Integer>>() { });
        } catch (IOException e) {
            return Map.of();
        }
    }

    /** The map as an {@code acr.loa.map} attribute: JSON, keys sorted so the text is stable. */
    static String loaJson(Map<String, Integer> value) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(value));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
