package dev.mainstay.platform.identity;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A thin client for Keycloak's admin REST API, used by {@code keycloak bootstrap}: JSON over
 * {@code java.net.http}, bound to Keycloak's own representation classes from
 * {@code keycloak-core} (which depends only on Jackson).
 *
 * <p>Keycloak's {@code keycloak-admin-client} is not used: it is a RESTEasy client proxy, and
 * RESTEasy's JAX-RS implementation clashes with Helidon's Jersey in one class path (two
 * {@code RuntimeDelegate}s, two sets of providers). Isolating it in its own class loader would
 * work but costs a second JAX-RS stack in the appliance for a dozen calls. The representation
 * classes keep the typed model, which is what the admin client adds over plain JSON.
 */
final class KeycloakAdminClient {

    private static final ObjectMapper JSON = new ObjectMapper()
        .setSerializationInclusion(JsonInclude.Include.NON_NULL)
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Duration TOKEN_MARGIN = Duration.ofSeconds(10);

    private final URI baseUri;
    private final KeycloakHttp.Realm realm;
    private final KeycloakAdminSettings admin;
    private final Clock clock;
    private final HttpClient http = KeycloakHttp.client();
    private String accessToken;
    private Instant accessTokenExpires = Instant.EPOCH;

    /** A client for {@code realm} and the Keycloak server it is on, signed in as {@code admin}. */
    KeycloakAdminClient(KeycloakHttp.Realm realm, KeycloakAdminSettings admin, Clock clock) {
        this.baseUri = URI.create(realm.base().toString().replaceAll("/+$", ""));
        this.realm = realm;
        this.admin = admin;
        this.clock = clock;
    }

    String realm() {
        return realm.name();
    }

    /** Reads {@code path} below {@code /admin/realms/<realm>} as {@code type}. */
    <T> T get(String path, TypeReference<T> type) {
        return read(send("GET", realmPath(path), null), type);
    }

    /** Reads {@code path} below {@code /admin/realms/<realm>}, or empty when Keycloak answers 404. */
    <T> Optional<T> find(String path, TypeReference<T> type) {
        HttpResponse<String> response = exchange("GET", realmPath(path), null);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(read(checked("GET", realmPath(path), response), type));
    }

    /** Creates something; returns the id from the {@code Location} header, when Keycloak sends one. */
    Optional<String> post(String path, Object body) {
        return location(send("POST", realmPath(path), body));
    }

    void put(String path, Object body) {
        send("PUT", realmPath(path), body);
    }

    void delete(String path) {
        send("DELETE", realmPath(path), null);
    }

    /** Whether the realm exists (a 404 on {@code /admin/realms/<realm>}). */
    boolean realmExists() {
        return exchange("GET", realmPath(""), null).statusCode() != 404;
    }

    /** Creates the realm, empty and enabled. */
    void createRealm() {
        send("POST", "/admin/realms", Map.of("realm", realm.name(), "enabled", true));
    }

    private String realmPath(String path) {
        return "/admin/realms/" + KeycloakHttp.pathSegment(realm.name()) + path;
    }

    private HttpResponse<String> send(String method, String path, Object body) {
        return checked(method, path, exchange(method, path, body));
    }

    private HttpResponse<String> checked(String method, String path, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status / 100 == 2) {
            return response;
        }
        String hint = status == 401 || status == 403
            ? " (the admin account needs the realm-admin role of realm-management in realm " + realm.name()
                + ", or an admin of the master realm)"
            : "";
        throw new KeycloakAdminException("Keycloak admin API " + method + " " + path + " answered " + status
            + hint + ": " + KeycloakHttp.abbreviate(response.body()));
    }

    private HttpResponse<String> exchange(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUri + path))
            .timeout(KeycloakHttp.TIMEOUT)
            .header("Authorization", "Bearer " + token())
            .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(write(body)));
        return call(request.build());
    }

    private synchronized String token() {
        Instant now = clock.instant();
        if (accessToken != null && now.isBefore(accessTokenExpires)) {
            return accessToken;
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_id", admin.clientId());
        admin.clientSecret().ifPresent(secret -> form.put("client_secret", secret));
        if (admin.username().isPresent()) {
            form.put("grant_type", "password");
            form.put("username", admin.username().get());
            form.put("password", admin.password().orElse(""));
        } else {
            form.put("grant_type", "client_credentials");
        }
        URI tokenUri = URI.create(baseUri + "/realms/" + KeycloakHttp.pathSegment(admin.realm()) + "/protocol/openid-connect/token");
        HttpResponse<String> response = call(HttpRequest.newBuilder(tokenUri)
            .timeout(KeycloakHttp.TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(KeycloakHttp.form(form)))
            .build());
        if (response.statusCode() != 200) {
            throw new KeycloakAdminException("Keycloak refused the admin sign-in at " + tokenUri + " (client "
                + admin.clientId() + admin.username().map(u -> ", user " + u).orElse("") + "): " + response.statusCode()
                + " " + KeycloakHttp.abbreviate(response.body()));
        }
        JsonNode body = read(response, new TypeReference<>() { });
        accessToken = body.path("access_token").asText();
        accessTokenExpires = now.plusSeconds(body.path("expires_in").asLong(60)).minus(TOKEN_MARGIN);
        return accessToken;
    }

    private HttpResponse<String> call(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new KeycloakAdminException("Keycloak cannot be reached at " + request.uri() + ": " + KeycloakHttp.reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeycloakAdminException("interrupted while calling Keycloak at " + request.uri(), e);
        }
    }

    private static Optional<String> location(HttpResponse<String> response) {
        return response.headers().firstValue("Location").map(l -> l.substring(l.lastIndexOf('/') + 1));
    }

    private static <T> T read(HttpResponse<String> response, TypeReference<T> type) {
        try {
            String body = response.body().isBlank() ? "null" : response.body();
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw new KeycloakAdminException("Keycloak answered " + response.request().uri() + " with JSON Mainstay cannot read: "
                + e.getMessage(), e);
        }
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }

}
