package dev.mainstay.platform.queue.forge.github;

import dev.mainstay.platform.ConfigValues;
import dev.mainstay.platform.TrustedCas;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.eclipse.microprofile.config.Config;

/**
 * How Mainstay reaches GitHub as a GitHub App. The private key is named by file, never given
 * inline, so that it stays out of configuration dumps and logs.
 *
 * @param apiUrl     the REST API's base URL: {@code https://api.github.com}, or {@code https://<host>/api/v3} for GHES
 * @param appId      the GitHub App's id; 0 when unset (the merge queue is then off)
 * @param privateKey the PEM file of the App's private key, PKCS#1 or PKCS#8
 * @param ca         a PEM file of CA certificates to trust for {@code apiUrl} besides the JDK's
 */
public record GitHubSettings(URI apiUrl, long appId, Optional<Path> privateKey, Optional<Path> ca) {

    public static final String API_URL = "mainstay.github.api-url";
    public static final String APP_ID = "mainstay.github.app-id";
    public static final String PRIVATE_KEY = "mainstay.github.private-key";
    public static final String CA = "mainstay.github.ca";

    /** github.com's REST API. */
    public static final URI GITHUB_COM = URI.create("https://api.github.com");

    /** Read from {@code config}; {@link #problems(Config)} says whether usable. */
    public static GitHubSettings from(Config config) {
        return new GitHubSettings(
            ConfigValues.text(config, API_URL).map(GitHubSettings::uri).orElse(GITHUB_COM),
            ConfigValues.text(config, APP_ID).map(GitHubSettings::number).orElse(0L),
            ConfigValues.text(config, PRIVATE_KEY).map(Path::of),
            ConfigValues.text(config, CA).map(Path::of));
    }

    /**
     * Where people see GitHub in a browser: {@code https://github.com} for github.com's API, the
     * server's root for a GitHub Enterprise Server's {@code https://<host>/api/v3}.
     */
    public String webUrl() {
        if (apiUrl.getHost() != null && apiUrl.getHost().equalsIgnoreCase(GITHUB_COM.getHost())) {
            return "https://github.com";
        }
        String url = apiUrl.toString().replaceAll("/+$", "");
        return url.endsWith("/api/v3") ? url.substring(0, url.length() - "/api/v3".length()) : url;
    }

    /** Whether a GitHub App is configured at all. */
    public boolean configured() {
        return appId != 0 || privateKey.isPresent();
    }

    /** What must be fixed; each problem names its key. None when no App is configured. */
    public List<String> problems(Config config) {
        List<String> problems = new ArrayList<>();
        if (!configured()) {
            return problems;
        }
        // Never plain HTTP: installation tokens travel in every request.
        if (!"https".equals(apiUrl.getScheme()) || apiUrl.getHost() == null) {
            problems.add(API_URL + " must be an https:// URL, e.g. https://api.github.com or https://github.example.com/api/v3, not '"
                + ConfigValues.text(config, API_URL).orElse("") + "'");
        }
        if (appId <= 0) {
            problems.add(APP_ID + " must be the GitHub App's numeric id (its settings page shows it), not '"
                + ConfigValues.text(config, APP_ID).orElse("") + "'");
        }
        if (privateKey.isEmpty()) {
            problems.add(PRIVATE_KEY + " must name the PEM file of the GitHub App's private key");
        } else if (!Files.isReadable(privateKey.get())) {
            problems.add(PRIVATE_KEY + ": " + privateKey.get() + " cannot be read");
        }
        if (ca.isPresent()) {
            try {
                sslContext();
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        return problems;
    }

    /** TLS for the API: the JDK's trusted CAs, and those of {@link #ca} when set. */
    SSLContext sslContext() {
        return TrustedCas.sslContext(CA, ca);
    }

    /** The URL without trailing slashes; one that is no URI at all fails the https check. */
    private static URI uri(String text) {
        try {
            return URI.create(text.replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            return URI.create("invalid:" + text.hashCode());
        }
    }

    private static long number(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
