package dev.mainstay.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The Keycloak admin REST calls tests need to arrange a scenario: point the {@code mainstay}
 * client at the appliance under test, disable users, end their sessions, and misconfigure the
 * client on purpose (password-only logins) to prove that Mainstay refuses what it must refuse.
 *
 * <p>It authenticates as the {@code master} realm's bootstrap administrator through
 * {@code admin-cli}, with a fresh token per call: master tokens live for one minute and the calls
 * are few.
 */
public final class KeycloakAdmin {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUri;
    private final String realm;
    private final String clientId;
    private final String username;
    private final String password;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** An admin client for {@code clientId} in {@code realm} on the server at {@code baseUri}. */
    public KeycloakAdmin(URI baseUri, String realm, String clientId, String username, String password) {
        this.baseUri = baseUri;
        this.realm = realm;
        this.clientId = clientId;
        this.username = username;
        this.password = password;
    }

    /**
     * Lets the client redirect to {@code applianceBaseUri}: the redirect URI becomes
     * {@code <base>/auth/callback} and the post-logout redirect URI {@code <base>/auth/signed-out}, as the realm
     * file sets them for the default base URL.
     */
    public void pointClientAt(URI applianceBaseUri) {
        String base = applianceBaseUri.toString().replaceAll("/+$", "");
        setRedirectUris(List.of(base + "/auth/callback"), List.of(base + "/auth/signed-out"));
    }

    /** Replaces the client's exact redirect URIs and post-logout redirect URIs. */
    public void setRedirectUris(List<String> redirectUris, List<String> postLogoutRedirectUris) {
        ObjectNode client = client();
        String base = redirectUris.get(0).replaceAll("/auth/callback$", "");
        client.put("rootUrl", base).put("baseUrl", base + "/");
        ArrayNode redirects = client.putArray("redirectUris");
        redirectUris.forEach(redirects::add);
        ((ObjectNode) client.get("attributes")).put("post.logout.redirect.uris", String.join("##", postLogoutRedirectUris));
        updateClient(client);
    }

    /** Sets a client attribute, e.g. {@code minimum.acr.value}. */
    public void setClientAttribute(String name, String value) {
        ObjectNode client = client();
        ((ObjectNode) client.get("attributes")).put(name, value);
        updateClient(client);
    }

    /** The client's root URL: the appliance base URL it was last pointed at. */
    public String clientRootUrl() {
        return client().path("rootUrl").asText();
    }

    /** A KeycloakAdmin for another realm of the same server, as the same administrator. */
    public KeycloakAdmin forRealm(String otherRealm) {
        return new KeycloakAdmin(baseUri, otherRealm, clientId, username, password);
    }

    /** Deletes this admin's realm, with everything in it. */
    public void deleteRealm() {
        send("DELETE", "", null);
    }

    /**
     * Creates an enabled user with a password, a member of the group at {@code groupPath} (made if
     * missing, e.g. {@code /orgs/acme}) with the client role {@code clientRole}, and the given
     * required actions (e.g. {@code webauthn-register}).
     */
    public void createUser(String user, String userPassword, String groupPath, String clientRole, List<String> requiredActions) {
        ObjectNode body = JSON.createObjectNode()
            .put("username", user).put("enabled", true).put("email", user + "@example.test").put("emailVerified", true)
            .put("firstName", user).put("lastName", "Test");
        body.putArray("credentials").addObject().put("type", "password").put("value", userPassword).put("temporary", false);
        ArrayNode actions = body.putArray("requiredActions");
        requiredActions.forEach(actions::add);
        send("POST", "/users", body);
        String id = userId(user);
        send("PUT", "/users/" + id + "/groups/" + groupId(groupPath), JSON.createObjectNode());
        String client = client().path("id").asText();
        JsonNode role = send("GET", "/clients/" + client + "/roles/" + encode(clientRole), null);
        send("POST", "/users/" + id + "/role-mappings/clients/" + client, JSON.createArrayNode().add(role));
    }

    /** Takes the client role {@code clientRole} away from the user. */
    public void revokeClientRole(String user, String clientRole) {
        String client = client().path("id").asText();
        JsonNode role = send("GET", "/clients/" + client + "/roles/" + encode(clientRole), null);
        send("DELETE", "/users/" + userId(user) + "/role-mappings/clients/" + client, JSON.createArrayNode().add(role));
    }

    /** Deletes the user. */
    public void deleteUser(String user) {
        send("DELETE", "/users/" + userId(user), null);
    }

    /** The user's subject (Keycloak's id for them). */
    public String subject(String user) {
        return userId(user);
    }

    /** The types of the user's credentials, e.g. {@code [password, otp, webauthn]}. */
    public List<String> credentialTypes(String user) {
        List<String> types = new ArrayList<>();
        send("GET", "/users/" + userId(user) + "/credentials", null).forEach(c -> types.add(c.path("type").asText()));
        return types;
    }

    private String groupId(String path) {
        String parentId = null;
        StringBuilder current = new StringBuilder();
        for (String name : path.substring(1).split("/")) {
            current.append('/').append(name);
            JsonNode found = find("/group-by-path" + current);
            if (found == null) {
                ObjectNode group = JSON.createObjectNode().put("name", name);
                send("POST", parentId == null ? "/groups" : "/groups/" + parentId + "/children", group);
                found = find("/group-by-path" + current);
            }
            parentId = found.path("id").asText();
        }
        return parentId;
    }

    /** The JSON at {@code path}, or null when Keycloak answers 404. */
    private JsonNode find(String path) {
        HttpResponse<String> response = request("GET", path, null);
        return response.statusCode() == 404 ? null : parse("GET", path, response);
    }

    /** Removes a client attribute (Keycloak removes an attribute updated to the empty string). */
    public void removeClientAttribute(String name) {
        setClientAttribute(name, "");
    }

    /** The client's attribute {@code name}, or null when it is not set. */
    public String clientAttribute(String name) {
        JsonNode value = client().path("attributes").get(name);
        return value == null || value.asText().isEmpty() ? null : value.asText();
    }

    /**
     * Makes browser logins to the client run the flow {@code flowAlias} instead of the realm's,
     * e.g. {@code password-only} to obtain a token without a second factor.
     *
     * @throws NoSuchElementException if the realm has no such flow
     */
    public void bindBrowserFlow(String flowAlias) {
        String flowId = null;
        for (JsonNode flow : send("GET", "/authentication/flows", null)) {
            if (flowAlias.equals(flow.path("alias").asText())) {
                flowId = flow.path("id").asText();
            }
        }
        if (flowId == null) {
            throw new NoSuchElementException("realm " + realm + " has no authentication flow " + flowAlias);
        }
        ObjectNode client = client();
        client.putObject("authenticationFlowBindingOverrides").put("browser", flowId);
        updateClient(client);
    }

    /** Makes browser logins to the client use the realm's browser flow again. */
    public void unbindBrowserFlow() {
        ObjectNode client = client();
        client.putObject("authenticationFlowBindingOverrides").put("browser", "");
        updateClient(client);
    }

    /** The client's current secret. */
    public String clientSecret() {
        return send("GET", "/clients/" + client().path("id").asText() + "/client-secret", null).path("value").asText();
    }

    /** Enables or disables the user; a disabled user cannot log in and loses token refresh. */
    public void setUserEnabled(String user, boolean enabled) {
        // The whole representation goes back: Keycloak's user profile validates the full user on update.
        String id = userId(user);
        ObjectNode body = (ObjectNode) send("GET", "/users/" + id, null);
        body.put("enabled", enabled);
        send("PUT", "/users/" + id, body);
    }

    /** True when the user is enabled. */
    public boolean isUserEnabled(String user) {
        return send("GET", "/users/" + userId(user), null).path("enabled").asBoolean();
    }

    /** Ends every session of the user (SSO and client sessions). */
    public void logOutUser(String user) {
        send("POST", "/users/" + userId(user) + "/logout", null);
    }

    /** The number of active sessions of the user. */
    public int sessionCount(String user) {
        return send("GET", "/users/" + userId(user) + "/sessions", null).size();
    }

    /** Deletes the user's OTP credentials, so that the next login enrolls one again. */
    public void removeOtpCredentials(String user) {
        String id = userId(user);
        for (JsonNode credential : send("GET", "/users/" + id + "/credentials", null)) {
            if ("otp".equals(credential.path("type").asText())) {
                send("DELETE", "/users/" + id + "/credentials/" + credential.path("id").asText(), null);
            }
        }
    }

    /** The number of OTP credentials the user has. */
    public long otpCredentialCount(String user) {
        return credentialTypes(user).stream().filter("otp"::equals).count();
    }

    private ObjectNode client() {
        JsonNode clients = send("GET", "/clients?clientId=" + encode(clientId), null);
        if (clients.isEmpty()) {
            throw new NoSuchElementException("realm " + realm + " has no client " + clientId);
        }
        return (ObjectNode) clients.get(0);
    }

    private void updateClient(ObjectNode client) {
        send("PUT", "/clients/" + client.path("id").asText(), client);
    }

    private String userId(String user) {
        JsonNode users = send("GET", "/users?exact=true&username=" + encode(user), null);
        if (users.isEmpty()) {
            throw new NoSuchElementException("realm " + realm + " has no user " + user);
        }
        return users.get(0).path("id").asText();
    }

    private JsonNode send(String method, String path, JsonNode body) {
        return parse(method, path, request(method, path, body));
    }

    private HttpResponse<String> request(String method, String path, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUri + "/admin/realms/" + realm + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token());
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.toString()));
        return exchange(request.build());
    }

    private static JsonNode parse(String method, String path, HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("Keycloak admin " + method + " " + path + " answered " + response.statusCode()
                + ": " + response.body());
        }
        try {
            return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak admin " + method + " " + path + " answered with malformed JSON: "
                + response.body(), e);
        }
    }

    private String token() {
        String form = "grant_type=password&client_id=admin-cli&username=" + encode(username) + "&password=" + encode(password);
        HttpResponse<String> response = exchange(HttpRequest.newBuilder(
                URI.create(baseUri + "/realms/master/protocol/openid-connect/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build());
        try {
            JsonNode token = JSON.readTree(response.body());
            if (response.statusCode() != 200 || !token.hasNonNull("access_token")) {
                throw new IllegalStateException("Keycloak refused the bootstrap admin " + username + ": "
                    + response.statusCode() + " " + response.body());
            }
            return token.get("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak's token endpoint answered with malformed JSON: " + response.body(), e);
        }
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Could not reach Keycloak at " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling Keycloak at " + request.uri(), e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
