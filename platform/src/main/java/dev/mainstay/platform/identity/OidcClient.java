package dev.mainstay.platform.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.common.Errors;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.JwkKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Mainstay's side of OpenID Connect with Keycloak: the authorization request (code flow with
 * PKCE S256), the code exchange, refresh, logout, and ID token verification against the realm's
 * published keys (Helidon's JWT/JWK support).
 *
 * <p>Why not Helidon's OIDC provider: Mainstay must decide per request whether a session's
 * {@code acr}/{@code amr} reach the policy's level (and show a page saying so), send a sensitive
 * action back to Keycloak with {@code prompt=login}/{@code max_age} (RFC 9470 step-up), and
 * re-confirm every session with Keycloak at a fixed interval so a disabled person loses access
 * within a minute. Helidon's provider exposes none of these hooks; the protocol steps are few,
 * and the security-critical part, signature checking, is still Helidon's.
 */
@ApplicationScoped
public class OidcClient {

    private static final Set<String> SIGNATURE_ALGORITHMS =
        Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    private static final Duration KEY_REFETCH_PAUSE = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = KeycloakHttp.TIMEOUT;

    private final IdentitySettings settings;
    private final Clock clock;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private volatile Endpoints endpoints;
    private volatile JwkKeys keys;
    private volatile Instant keysFetchedAt = Instant.EPOCH;

    /** The realm's endpoints, from its discovery document. */
    record Endpoints(URI authorization, URI token, URI jwks, URI endSession) {
    }

    /**
     * Tokens from the token endpoint.
     *
     * @param idToken      the verified ID token
     * @param refreshToken the refresh token, opaque to Mainstay
     */
    public record Tokens(IdToken idToken, String refreshToken) {
    }

    @Inject
    OidcClient(IdentitySettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.http = KeycloakHttp.client();
    }

    /**
     * The authorization request to send the browser to.
     *
     * @param maxAge when present, Keycloak must re-authenticate the person ({@code prompt=login}, {@code max_age})
     */
    public URI authorizationUri(String state, String nonce, String codeChallenge, String acr, Optional<Duration> maxAge) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", settings.clientId());
        query.put("redirect_uri", settings.redirectUri().toString());
        query.put("scope", "openid profile email");
        query.put("state", state);
        query.put("nonce", nonce);
        query.put("code_challenge", codeChallenge);
        query.put("code_challenge_method", "S256");
        query.put("acr_values", acr);
        maxAge.ifPresent(age -> {
            query.put("prompt", "login");
            query.put("max_age", Long.toString(age.toSeconds()));
        });
        return URI.create(endpoints().authorization() + "?" + KeycloakHttp.form(query));
    }

    /**
     * Exchanges an authorization code.
     *
     * @throws OidcException if Keycloak refuses the code or the ID token fails verification
     */
    public Tokens exchange(String code, String codeVerifier, String expectedNonce) {
        JsonNode body = post(endpoints().token(), Map.of(
            "grant_type", "authorization_code",
            "code", code,
            "redirect_uri", settings.redirectUri().toString(),
            "code_verifier", codeVerifier));
        return tokens(body, Optional.of(expectedNonce));
    }

    /**
     * Re-confirms a session with Keycloak.
     *
     * @return fresh tokens, or empty when Keycloak no longer honours the session (person disabled,
     *     signed out, session expired)
     * @throws OidcException if Keycloak cannot be reached or answers unexpectedly
     */
    public Optional<Tokens> refresh(String refreshToken) {
        HttpResponse<String> response = send(endpoints().token(), Map.of(
            "grant_type", "refresh_token",
            "refresh_token", refreshToken,
            "scope", "openid profile email"));
        if (response.statusCode() == 400 && response.body().contains("invalid_grant")) {
            return Optional.empty();
        }
        return Optional.of(tokens(checked(response, endpoints().token()), Optional.empty()));
    }

    /**
     * Ends the Keycloak session behind a refresh token (back channel: Keycloak's end-session
     * endpoint also takes a POST with the client's credentials); best effort.
     */
    public void endSession(String refreshToken) {
        send(endpoints().endSession(), Map.of("refresh_token", refreshToken));
    }

    /** Where to send the browser so Keycloak also clears its own cookies (RP-initiated logout). */
    public URI endSessionUri(String idTokenHint, URI afterLogout) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("client_id", settings.clientId());
        query.put("id_token_hint", idTokenHint);
        query.put("post_logout_redirect_uri", afterLogout.toString());
        return URI.create(endpoints().endSession() + "?" + KeycloakHttp.form(query));
    }

    private Tokens tokens(JsonNode body, Optional<String> expectedNonce) {
        String idToken = text(body, "id_token").orElseThrow(() -> new OidcException("Keycloak's token response has no id_token"));
        String refresh = text(body, "refresh_token").orElseThrow(() -> new OidcException("Keycloak's token response has no refresh_token"));
        return new Tokens(verify(idToken, expectedNonce), refresh);
    }

    /**
     * Verifies an ID token: signature by a realm key, issuer, audience, lifetime, nonce.
     *
     * @throws OidcException naming the check that failed
     */
    IdToken verify(String token, Optional<String> expectedNonce) {
        SignedJwt signed;
        try {
            signed = SignedJwt.parseToken(token);
        } catch (RuntimeException e) {
            throw new OidcException("the ID token is not a well-formed JWT", e);
        }
        Jwt jwt = signed.getJwt();
        String algorithm = jwt.algorithm().orElse("none");
        if (!SIGNATURE_ALGORITHMS.contains(algorithm)) {
            throw new OidcException("the ID token is signed with '" + algorithm + "', which Mainstay does not accept");
        }
        Errors errors = signed.verifySignature(keys(false));
        if (!errors.isValid()) {
            errors = signed.verifySignature(keys(true));
            if (!errors.isValid()) {
                throw new OidcException("the ID token's signature does not verify with the realm's keys: " + errors);
            }
        }
        String issuer = settings.issuer().orElseThrow().toString();
        if (!jwt.issuer().orElse("").equals(issuer)) {
            throw new OidcException("the ID token was issued by '" + jwt.issuer().orElse("") + "', not " + issuer);
        }
        List<String> audience = jwt.audience().orElse(List.of());
        if (!audience.contains(settings.clientId())) {
            throw new OidcException("the ID token is for " + audience + ", not '" + settings.clientId() + "'");
        }
        Instant now = clock.instant();
        Instant expires = jwt.expirationTime().orElseThrow(() -> new OidcException("the ID token has no exp"));
        if (expires.plus(CLOCK_SKEW).isBefore(now)) {
            throw new OidcException("the ID token expired at " + expires);
        }
        if (jwt.issueTime().map(iat -> iat.minus(CLOCK_SKEW).isAfter(now)).orElse(true)) {
            throw new OidcException("the ID token has no iat, or one in the future");
        }
        if (expectedNonce.isPresent() && !expectedNonce.get().equals(jwt.nonce().orElse(""))) {
            throw new OidcException("the ID token's nonce does not match this sign-in");
        }
        Map<String, JsonValue> claims = jwt.payloadClaims();
        Instant authTime = claim(claims, "auth_time").filter(v -> v.getValueType() == JsonValue.ValueType.NUMBER)
            .map(v -> Instant.ofEpochSecond(((jakarta.json.JsonNumber) v).longValue()))
            .orElseThrow(() -> new OidcException("the ID token has no auth_time"));
        String subject = jwt.subject().orElseThrow(() -> new OidcException("the ID token has no sub"));
        String username = jwt.preferredUsername().orElse(subject);
        return new IdToken(subject, claim(claims, "sid").flatMap(OidcClient::string), username,
            jwt.fullName().filter(n -> !n.isBlank()).orElse(username), jwt.email().orElse(""),
            claim(claims, IdToken.GITHUB_LOGIN_CLAIM).flatMap(OidcClient::string).map(String::strip)
                .filter(l -> IdToken.GITHUB_LOGIN.matcher(l).matches()).orElse(""),
            claim(claims, "acr").flatMap(OidcClient::string), claim(claims, "amr").map(OidcClient::strings), authTime,
            claim(claims, "groups").map(OidcClient::strings).orElse(List.of()),
            claim(claims, "roles").map(OidcClient::strings).orElse(List.of()), token);
    }

    private static Optional<JsonValue> claim(Map<String, JsonValue> claims, String name) {
        return Optional.ofNullable(claims.get(name)).filter(v -> v.getValueType() != JsonValue.ValueType.NULL);
    }

    private static Optional<String> string(JsonValue value) {
        return value instanceof JsonString s ? Optional.of(s.getString()) : Optional.empty();
    }

    private static List<String> strings(JsonValue value) {
        if (value instanceof JsonString s) {
            return List.of(s.getString());
        }
        List<String> result = new ArrayList<>();
        if (value instanceof JsonArray array) {
            for (JsonValue item : array) {
                string(item).ifPresent(result::add);
            }
        }
        return List.copyOf(result);
    }

    private JwkKeys keys(boolean refetch) {
        JwkKeys current = keys;
        Instant now = clock.instant();
        if (current == null || (refetch && keysFetchedAt.plus(KEY_REFETCH_PAUSE).isBefore(now))) {
            HttpResponse<String> response = get(endpoints().jwks());
            try (var reader = Json.createReader(new StringReader(response.body()))) {
                current = JwkKeys.builder().json(reader.readObject()).build();
            } catch (RuntimeException e) {
                throw new OidcException("the realm's key set at " + endpoints().jwks() + " cannot be read", e);
            }
            keys = current;
            keysFetchedAt = now;
        }
        return current;
    }

    private Endpoints endpoints() {
        Endpoints known = endpoints;
        if (known == null) {
            URI issuer = settings.issuer().orElseThrow(() -> new OidcException(IdentitySettings.ISSUER + " is not set"));
            URI discovery = URI.create(issuer + "/.well-known/openid-configuration");
            JsonNode doc = checked(get(discovery), discovery);
            if (!issuer.toString().equals(text(doc, "issuer").orElse(""))) {
                throw new OidcException(discovery + " names the issuer '" + text(doc, "issuer").orElse("")
                    + "', not " + issuer + "; check " + IdentitySettings.ISSUER);
            }
            known = new Endpoints(uri(doc, "authorization_endpoint", discovery), uri(doc, "token_endpoint", discovery),
                uri(doc, "jwks_uri", discovery), uri(doc, "end_session_endpoint", discovery));
            endpoints = known;
        }
        return known;
    }

    private URI uri(JsonNode doc, String field, URI source) {
        return URI.create(text(doc, field).orElseThrow(() -> new OidcException(source + " lacks " + field)));
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? Optional.empty() : Optional.of(value.asText());
    }

    private JsonNode post(URI uri, Map<String, String> form) {
        return checked(send(uri, form), uri);
    }

    private JsonNode checked(HttpResponse<String> response, URI uri) {
        if (response.statusCode() != 200) {
            throw new OidcException("Keycloak answered " + response.statusCode() + " at " + uri + ": " + KeycloakHttp.abbreviate(response.body()));
        }
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new OidcException("Keycloak's answer at " + uri + " is not JSON", e);
        }
    }

    private HttpResponse<String> send(URI uri, Map<String, String> form) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Authorization", KeycloakHttp.clientCredentials(settings))
            .POST(HttpRequest.BodyPublishers.ofString(KeycloakHttp.form(form)))
            .build();
        return exchange(request);
    }

    private HttpResponse<String> get(URI uri) {
        return exchange(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build());
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        return KeycloakHttp.send(http, request);
    }

}
