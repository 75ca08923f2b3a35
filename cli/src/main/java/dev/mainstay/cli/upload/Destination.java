package dev.mainstay.cli.upload;

import dev.mainstay.cli.command.Arguments;
import dev.mainstay.cli.command.Context;
import dev.mainstay.cli.command.ExitCode;
import dev.mainstay.cli.command.UsageException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Where and how an upload is sent: the endpoint, the token (and where it came from, for messages:
 * the token itself is never printed), the TLS trust, the proxy and the retries.
 */
public final class Destination {

    static final String UPLOADS = "/api/v1/uploads";
    static final String QUARANTINE = "/api/v1/quarantine";
    /** One attempt, from connecting until the answer's headers; a bundle of hundreds of MiB on a slow link fits. */
    static final Duration TIMEOUT = Duration.ofMinutes(10);
    /** {@code --retries}'s help, the same for every command that sends: what is retried, and the budget that bounds it. */
    public static final String RETRIES_HELP = "retries of what may pass (connection failures, timeouts, 429, 502, 503 with Retry-After, 504),"
        + " all within " + RetryPolicy.BUDGET.toSeconds() + " s (default 5)";

    private final Optional<URI> endpoint;
    private final Optional<String> token;
    private final String tokenSource;
    private final int retries;
    private final Optional<SSLContext> ssl;
    private final Optional<InetSocketAddress> proxy;

    private Destination(Optional<URI> endpoint, Optional<String> token, String tokenSource, int retries, Optional<SSLContext> ssl,
                        Optional<InetSocketAddress> proxy) {
        this.endpoint = endpoint;
        this.token = token;
        this.tokenSource = tokenSource;
        this.retries = retries;
        this.ssl = ssl;
        this.proxy = proxy;
    }

    /**
     * Reads {@code --url}, {@code --token}, {@code --retries}, {@code --ca-cert} and {@code --proxy}
     * (and {@code MAINSTAY_URL}, {@code MAINSTAY_TOKEN}, the proxy variables).
     *
     * @throws UsageException when one is invalid, or, unless {@code dryRun}, the URL or token is missing
     */
    static Destination from(Context context, Arguments arguments, boolean dryRun) throws UsageException {
        return from(context, arguments, dryRun, "the uploads:write scope (and quarantine:read for the quarantine list)");
    }

    /**
     * As {@link #from(Context, Arguments, boolean)}, for a command whose token needs {@code scopes}
     * (as the missing-token message says them).
     */
    public static Destination from(Context context, Arguments arguments, boolean dryRun, String scopes) throws UsageException {
        String url = arguments.value("url").orElse(context.env("MAINSTAY_URL"));
        Optional<URI> endpoint = url.isEmpty() ? Optional.empty() : Optional.of(endpoint(url));
        String tokenSource = arguments.has("token") ? "--token" : "MAINSTAY_TOKEN";
        String token = arguments.value("token").orElse(context.env("MAINSTAY_TOKEN")).strip();
        if (!dryRun && endpoint.isEmpty()) {
            throw new UsageException("--url is required: the appliance's address, e.g. --url https://mainstay.example.internal");
        }
        if (!dryRun && token.isEmpty()) {
            throw new UsageException("a token is required: set MAINSTAY_TOKEN (or pass --token) to an API token with " + scopes);
        }
        if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new UsageException("the token from " + tokenSource + " holds spaces or characters an HTTP header cannot carry");
        }
        String retriesText = arguments.value("retries").orElse("5");
        if (!retriesText.matches("\\d{1,2}")) {
            throw new UsageException("--retries must be a whole number from 0 to 99, not '" + retriesText + "'");
        }
        Optional<SSLContext> ssl = Optional.empty();
        if (arguments.has("ca-cert")) {
            String given = arguments.value("ca-cert").orElseThrow();
            ssl = Optional.of(Tls.trusting(context.resolve(given), given));
        }
        Optional<InetSocketAddress> proxy = endpoint.isEmpty() ? Optional.empty()
            : Proxies.forTarget(context, arguments.value("proxy"), endpoint.get());
        return new Destination(endpoint, token.isEmpty() ? Optional.empty() : Optional.of(token), tokenSource,
            Integer.parseInt(retriesText), ssl, proxy);
    }

    /** {@code URL/api/v1/uploads}, unless {@code url} names that endpoint already. */
    static URI endpoint(String url) throws UsageException {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new UsageException("--url is not a URL: " + e.getMessage());
        }
        if (!("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null) {
            throw new UsageException("--url must be an http(s) URL like https://mainstay.example.internal, not '" + url + "'");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + (path.endsWith(UPLOADS) ? path : path + UPLOADS));
    }

    /** What would be sent where, for a dry run; says where the token comes from, never what it is. */
    String describe() {
        String where = endpoint.map(e -> "POST " + e).orElse("(no --url given)");
        String auth = token.isPresent() ? "a bearer token from " + tokenSource + " (not shown)" : "no token given";
        return where + ", " + auth + proxy.map(p -> ", through the proxy " + p.getHostString() + ":" + p.getPort()).orElse("");
    }

    /** {@code GET /api/v1/quarantine?repo=…} on the appliance the uploads go to. */
    URI quarantine(String repo) {
        return api(QUARANTINE + "?repo=" + URLEncoder.encode(repo, StandardCharsets.UTF_8));
    }

    /** {@code path} (from {@code /api/v1/…}, already encoded) on the appliance the uploads go to. */
    public URI api(String path) {
        String uploads = endpoint.orElseThrow().toString();
        return URI.create(uploads.substring(0, uploads.length() - UPLOADS.length()) + path);
    }

    /** The token, for a request; never printed. */
    public String token() {
        return token.orElseThrow();
    }

    /** An HTTP client with this destination's trust and proxy, following no redirect. */
    public HttpClient client(Duration connectTimeout) {
        HttpClient.Builder builder = HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(proxy.map(Proxies::always).orElse(HttpClient.Builder.NO_PROXY));
        ssl.ifPresent(builder::sslContext);
        return builder.build();
    }

    /** How many times at most to retry a request that may pass; {@link RetryPolicy#BUDGET} may end the retries sooner. */
    public int retries() {
        return retries;
    }

    /** Sends {@code bundle} and tells the user what came of it. */
    ExitCode send(Context context, BundleFile bundle, boolean json, int reports) throws IOException, InterruptedException {
        URI uri = endpoint.orElseThrow();
        UploadClient client = new UploadClient(context, client(Duration.ofSeconds(30)), Backoff.DEFAULT, TIMEOUT, retries);
        UploadClient.Outcome outcome = client.send(uri, token.orElseThrow(), bundle, new ConsoleProgress(context, uri.toString()));
        return Answers.report(context, uri, outcome, json, reports);
    }
}
