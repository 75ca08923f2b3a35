package dev.mainstay.platform.identity;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/** The HTTP exchange with Keycloak shared by the OIDC client and the directory. */
final class KeycloakHttp {

    /** Connect and request timeout. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private KeycloakHttp() {
    }

    static HttpClient client() {
        return HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** HTTP Basic credentials of Mainstay's client (RFC 6749 §2.3.1: form-encoded, then Base64). */
    static String clientCredentials(IdentitySettings settings) {
        String credentials = URLEncoder.encode(settings.clientId(), StandardCharsets.UTF_8) + ":"
            + URLEncoder.encode(settings.clientSecret().orElse(""), StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    /** A Keycloak server's root URL and one of its realms, as an issuer URL names them. */
    record Realm(URI base, String name) {

        /**
         * The server and realm of an issuer {@code <base>/realms/<name>}.
         *
         * @throws IllegalArgumentException naming the key when the issuer is not a Keycloak realm URL
         */
        static Realm ofIssuer(URI issuer) {
            String path = issuer.getPath();
            int realms = path.lastIndexOf("/realms/");
            String name = realms < 0 ? "" : path.substring(realms + "/realms/".length());
            if (name.isEmpty() || name.contains("/")) {
                throw new IllegalArgumentException(IdentitySettings.ISSUER + " must be a Keycloak realm URL ending in"
                    + " /realms/<realm>, not " + issuer);
            }
            return new Realm(issuer.resolve(path.substring(0, realms + 1)), name);
        }

        /** The realm's admin REST API root, {@code <base>/admin/realms/<name>}. */
        URI adminUri() {
            return URI.create(base + "admin/realms/" + pathSegment(name));
        }
    }

    /** A value as one URL path segment: percent-encoded, a space as {@code %20} (flow aliases have spaces). */
    static String pathSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Fields as {@code application/x-www-form-urlencoded}, also usable as a query string. */
    static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
            .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    }

    /** A response body short enough for an error message. */
    static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    /** What went wrong on the connection: the message, or the exception's name when it has none (a refused connection). */
    static String reason(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /**
     * Sends a request.
     *
     * @throws OidcException when Keycloak cannot be reached
     */
    static HttpResponse<String> send(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new OidcException("Keycloak cannot be reached at " + request.uri() + ": " + reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OidcException("interrupted while calling Keycloak at " + request.uri(), e);
        }
    }
}
