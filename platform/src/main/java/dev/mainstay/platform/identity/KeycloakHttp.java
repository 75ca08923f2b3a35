package dev.mainstay.platform.identity;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

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
