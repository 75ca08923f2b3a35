package dev.mainstay.platform.queue.forge.github;

import dev.mainstay.platform.queue.forge.Forge;
import dev.mainstay.platform.queue.forge.ForgeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import org.kohsuke.github.GHAppInstallationToken;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.GitHubRateLimitHandler;
import org.kohsuke.github.extras.HttpClientGitHubConnector;

/**
 * Mainstay as a GitHub App: signs App JWTs, finds the installation of each repository, keeps its
 * installation token ({@link InstallationTokens}) and hands out a {@link Forge} per repository.
 * One instance serves every repository of the appliance.
 */
public final class GitHubApp {

    private final URI apiUrl;
    private final AppJwt jwt;
    private final HttpClientGitHubConnector connector;
    private final InstallationTokens tokens;
    private final Map<String, Long> installations = new ConcurrentHashMap<>();
    private final Map<String, GitHub> clients = new ConcurrentHashMap<>();

    /**
     * The App as {@code settings} configure it.
     *
     * @throws IllegalArgumentException naming the setting when the private key or CA file cannot be read
     */
    public GitHubApp(GitHubSettings settings, Clock clock) {
        this(settings.apiUrl(), settings.appId(), AppJwt.readPrivateKey(settings.privateKey()
            .orElseThrow(() -> new IllegalArgumentException(GitHubSettings.PRIVATE_KEY + " is not set"))), settings.sslContext(), clock);
    }

    GitHubApp(URI apiUrl, long appId, PrivateKey key, SSLContext tls, Clock clock) {
        this.apiUrl = apiUrl;
        this.jwt = new AppJwt(appId, key, clock);
        this.connector = new HttpClientGitHubConnector(HttpClient.newBuilder().sslContext(tls)
            .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build());
        this.tokens = new InstallationTokens(this::issueToken, clock);
    }

    /** The code host of repository {@code owner/name}, acting as this App's installation there. */
    public Forge forRepository(String owner, String name) {
        return new GitHubForge(() -> client(owner, name), owner + "/" + name);
    }

    private GitHub client(String owner, String name) throws IOException {
        String repository = owner + "/" + name;
        Long installation = installations.get(repository);
        if (installation == null) {
            installation = appClient().getApp().getInstallationByRepository(owner, name).getId();
            installations.put(repository, installation);
        }
        long id = installation;
        GitHub client = clients.get(repository);
        if (client == null) {
            client = builder().withAuthorizationProvider(() -> "token " + tokens.token(id)).build();
            clients.put(repository, client);
        }
        return client;
    }

    private InstallationTokens.Token issueToken(long installationId) {
        try {
            GHAppInstallationToken token = appClient().getApp().getInstallationById(installationId).createToken().create();
            return new InstallationTokens.Token(token.getToken(), token.getExpiresAt().toInstant());
        } catch (IOException e) {
            throw new ForgeException("GitHub refused an installation token for installation " + installationId + " of App "
                + "at " + apiUrl + ": " + e.getMessage(), e);
        }
    }

    /** A client authenticated as the App itself (a fresh JWT), for the installation endpoints. */
    private GitHub appClient() throws IOException {
        return builder().withJwtToken(jwt.next()).build();
    }

    /**
     * Both rate limits wait and retry, as GitHub asks: the secondary (abuse) limit for its
     * {@code Retry-After}, the primary one until {@code x-ratelimit-reset}.
     */
    private GitHubBuilder builder() {
        return new GitHubBuilder().withEndpoint(apiUrl.toString()).withConnector(connector)
            .withRateLimitHandler(GitHubRateLimitHandler.WAIT).withAbuseLimitHandler(GitHubAbuseLimitHandler.WAIT);
    }
}
