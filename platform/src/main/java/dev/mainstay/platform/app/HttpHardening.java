package dev.mainstay.platform.app;

import dev.mainstay.platform.identity.IdentitySettings;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.microprofile.server.ServerCdiExtension;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.interceptor.Interceptor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.SocketAddress;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Puts the transport rules of the security model on every HTTP exchange, whatever answers it
 * (JAX-RS resources, health, metrics, OpenAPI, static files):
 * <ul>
 *   <li>security headers on every response: a CSP without inline script, nosniff, same-origin referrers,
 *       no framing;</li>
 *   <li>HSTS on every response that went over HTTPS (directly, or through a trusted TLS proxy);</li>
 *   <li>behind a TLS proxy, a request that did not come over HTTPS is redirected to HTTPS,
 *       except the probes and scrapes ({@code /health}, {@code /metrics}) that the platform sends
 *       to the pod directly;</li>
 *   <li>the optional plain-HTTP port only redirects to HTTPS.</li>
 * </ul>
 */
@ApplicationScoped
public class HttpHardening {

    /** Name of the plain-HTTP listener that only redirects. */
    public static final String REDIRECT_SOCKET = "http-redirect";

    static final String HSTS = "max-age=31536000; includeSubDomains";
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'%s; "
        + "frame-ancestors 'none'";

    private static final HeaderName CONTENT_SECURITY_POLICY = HeaderNames.create("Content-Security-Policy");
    private static final HeaderName X_CONTENT_TYPE_OPTIONS = HeaderNames.create("X-Content-Type-Options");
    private static final HeaderName REFERRER_POLICY = HeaderNames.create("Referrer-Policy");
    private static final HeaderName X_FRAME_OPTIONS = HeaderNames.create("X-Frame-Options");

    void register(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 50) @Initialized(ApplicationScoped.class) Object event,
                  BeanManager beanManager) {
        ApplianceSettings settings = ApplianceSettings.from(ConfigProvider.getConfig());
        String csp = csp(IdentitySettings.from(ConfigProvider.getConfig()).issuer());
        ServerCdiExtension server = beanManager.getExtension(ServerCdiExtension.class);
        server.serverRoutingBuilder()
            .addFilter((chain, req, res) -> filter(settings, csp, chain, req, res))
            // Routing errors (404, 405, ...) reset the response; answer them with the headers again.
            .error(HttpException.class, (req, res, e) -> {
                securityHeaders(res, csp, cameOverHttps(settings, req));
                res.status(e.status());
                res.send(e.status().reasonPhrase());
            });
        settings.redirectPort().ifPresent(port -> server.serverNamedRoutingBuilder(REDIRECT_SOCKET)
            .any((req, res) -> redirectToHttps(req, res, host(settings, req), server.port())));
    }

    /**
     * The Content-Security-Policy. Forms may also lead to Keycloak: sign-out posts to Mainstay,
     * which redirects to Keycloak's end-session endpoint, and browsers apply form-action to that
     * redirect too.
     */
    static String csp(Optional<URI> issuer) {
        return CSP.formatted(issuer.map(i -> " " + i.getScheme() + "://" + i.getAuthority()).orElse(""));
    }

    private static void filter(ApplianceSettings settings, String csp, FilterChain chain, RoutingRequest req, RoutingResponse res) {
        boolean https = cameOverHttps(settings, req);
        if (!https && settings.behindTlsProxy() && !isProbeOrScrape(req)) {
            redirectToHttps(req, res, host(settings, req), 443);
            return;
        }
        securityHeaders(res, csp, https);
        chain.proceed();
    }

    private static void securityHeaders(ServerResponse res, String csp, boolean https) {
        res.header(CONTENT_SECURITY_POLICY, csp);
        res.header(X_CONTENT_TYPE_OPTIONS, "nosniff");
        // Same-origin only: Mainstay's own pages may see where a form came from (to return there
        // after a step-up sign-in); other sites, Keycloak included, never see Mainstay's URLs.
        res.header(REFERRER_POLICY, "same-origin");
        res.header(X_FRAME_OPTIONS, "DENY");
        if (https) {
            res.header(HeaderNames.STRICT_TRANSPORT_SECURITY, HSTS);
        }
    }

    /** TLS on this connection, or a trusted proxy that says the client used HTTPS. */
    static boolean cameOverHttps(ApplianceSettings settings, ServerRequest req) {
        if (req.isSecure()) {
            return true;
        }
        if (!settings.behindTlsProxy() || !fromTrustedProxy(settings, req)) {
            return false;
        }
        return req.headers().first(HeaderNames.X_FORWARDED_PROTO)
            .map(v -> v.split(",")[0].strip().toLowerCase(Locale.ROOT))
            .map("https"::equals)
            .orElse(false);
    }

    private static boolean fromTrustedProxy(ApplianceSettings settings, ServerRequest req) {
        SocketAddress peer = req.remotePeer().address();
        if (peer instanceof InetSocketAddress inet) {
            InetAddress address = inet.getAddress();
            return address != null && settings.trustedProxies().trusts(address);
        }
        return false;
    }

    private static boolean isProbeOrScrape(ServerRequest req) {
        String path = req.path().path();
        return path.equals("/health") || path.startsWith("/health/") || path.equals("/metrics") || path.startsWith("/metrics/");
    }

    /** The host name for a redirect: the forwarded host from a trusted proxy, else the Host header. */
    private static String host(ApplianceSettings settings, ServerRequest req) {
        Optional<String> forwarded = settings.behindTlsProxy() && fromTrustedProxy(settings, req)
            ? req.headers().first(HeaderNames.X_FORWARDED_HOST)
            : Optional.empty();
        String authority = forwarded.or(() -> req.headers().first(HeaderNames.HOST)).orElse("localhost");
        String host = authority.startsWith("[")
            ? authority.substring(0, authority.indexOf(']') + 1)
            : authority.split(":")[0];
        // Only host-name characters: a crafted header must not turn into a header split or a path.
        return host.matches("[A-Za-z0-9.\\-\\[\\]:]+") ? host : "localhost";
    }

    private static void redirectToHttps(ServerRequest req, ServerResponse res, String host, int httpsPort) {
        String query = req.query().rawValue();
        String location = "https://" + host + (httpsPort == 443 ? "" : ":" + httpsPort)
            + req.path().rawPath() + (query.isEmpty() ? "" : "?" + query);
        res.status(Status.PERMANENT_REDIRECT_308);
        res.header(HeaderNames.LOCATION, location);
        res.send();
    }
}
