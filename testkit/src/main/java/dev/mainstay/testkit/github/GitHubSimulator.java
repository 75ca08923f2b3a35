package dev.mainstay.testkit.github;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.mainstay.testkit.PrivateCa;
import dev.mainstay.testkit.TempDirs;
import dev.mainstay.testkit.github.SimulatedRepository.CheckRunState;
import dev.mainstay.testkit.github.SimulatedRepository.PullState;
import dev.mainstay.testkit.github.SimulatedRepository.StatusState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;

/**
 * GitHub, simulated at its HTTP edge: the REST endpoints Mainstay's GitHub App calls, served on
 * 127.0.0.1 under {@code /api/v3} as GitHub Enterprise Server serves them, over real bare git
 * repositories (JGit). It checks App JWTs and installation tokens as GitHub does, can answer the
 * next calls with a primary or secondary rate limit, sends signed webhooks ({@link #webhooks()}),
 * and runs a model of CI on merge-queue candidates ({@link #ci()}).
 *
 * <pre>{@code
 * try (GitHubSimulator github = GitHubSimulator.start()) {
 *     SimulatedRepository repo = github.createRepository("acme", "widgets");
 *     int pr = repo.openPullRequest("feature", "Add a feature", Map.of("a.txt", "a\n"));
 *     // point the client under test at github.apiUrl() with github.app()'s id and key
 * }
 * }</pre>
 */
public final class GitHubSimulator implements AutoCloseable {

    /** The kind of rate limit {@link #rateLimitNext} answers with. */
    public enum RateLimit {
        /** 403 with {@code Retry-After: 1} and GitHub's "secondary rate limit" message. */
        SECONDARY,
        /** 403 with {@code x-ratelimit-remaining: 0} and {@code x-ratelimit-reset} a second ahead. */
        PRIMARY
    }

    private static final String PREFIX = "/api/v3";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "github-simulator-http");
        t.setDaemon(true);
        return t;
    });
    private final Path dir;
    private final SimulatedApp app = new SimulatedApp(4242, 77);
    private final Map<String, SimulatedRepository> repositories = new ConcurrentHashMap<>();
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(1000);
    private final AtomicInteger rateLimited = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();
    private final List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger failing = new AtomicInteger();
    private volatile int failureStatus = 502;
    private final SecureRandom random = new SecureRandom();
    private final Webhooks webhooks = new Webhooks(this);
    private final CiModel ci = new CiModel(this);
    private final Payloads payloads;
    private final String scheme;
    private volatile RateLimit rateLimitKind = RateLimit.SECONDARY;
    private volatile Clock clock = Clock.systemUTC();
    private volatile Duration tokenLifetime = Duration.ofHours(1);

    private GitHubSimulator(PrivateCa tls) {
        try {
            dir = TempDirs.create("github-simulator");
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            if (tls == null) {
                server = HttpServer.create(address, 0);
            } else {
                HttpsServer https = HttpsServer.create(address, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(serverTls(tls)));
                server = https;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the GitHub simulator", e);
        }
        scheme = tls == null ? "http" : "https";
        payloads = new Payloads(apiUrl(), scheme + "://localhost:" + server.getAddress().getPort(), app.installationId());
        server.createContext(PREFIX + "/", new RestApi(this, PREFIX));
        server.setExecutor(executor);
        server.start();
    }

    /** Starts a simulator on a random port of 127.0.0.1, over plain HTTP. */
    public static GitHubSimulator start() {
        return new GitHubSimulator(null);
    }

    /**
     * Starts a simulator that serves HTTPS with {@code ca}'s {@code localhost} certificate, as a GitHub
     * Enterprise Server behind an enterprise's private CA: clients must be told to trust that CA.
     */
    public static GitHubSimulator startTls(PrivateCa ca) {
        return new GitHubSimulator(ca);
    }

    private static SSLContext serverTls(PrivateCa ca) {
        try {
            String pem = Files.readString(ca.serverKey()).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            Certificate certificate;
            try (InputStream in = Files.newInputStream(ca.serverCertificate())) {
                certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, new char[0], new Certificate[] {certificate});
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot serve TLS with the certificate in " + ca.serverCertificate(), e);
        }
    }

    /** The REST API's base URL, e.g. {@code http://127.0.0.1:41234/api/v3}, as a GitHub Enterprise Server's. */
    public String apiUrl() {
        return scheme + "://" + (scheme.equals("https") ? "localhost" : "127.0.0.1") + ":" + server.getAddress().getPort() + PREFIX;
    }

    /** The GitHub App installed on every repository. */
    public SimulatedApp app() {
        return app;
    }

    /** The webhooks sent so far, and where they go. */
    public Webhooks webhooks() {
        return webhooks;
    }

    /** The CI model that tests merge-queue candidates. */
    public CiModel ci() {
        return ci;
    }

    /** The clock that decides token and JWT expiry and stamps objects; the system clock by default. */
    public GitHubSimulator clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** How long installation tokens live; an hour, as on GitHub, by default. */
    public GitHubSimulator tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
        return this;
    }

    /** Answers the next {@code n} REST calls with a rate limit of {@code kind}. */
    public void rateLimitNext(int n, RateLimit kind) {
        rateLimitKind = kind;
        rateLimited.set(n);
    }

    /** Answers the next {@code n} REST calls with HTTP {@code status} (e.g. 502), as GitHub does during an incident. */
    public void failNext(int n, int status) {
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("a server error is 5xx: " + status);
        }
        failureStatus = status;
        failing.set(n);
    }

    /** How many installation tokens were issued so far. */
    public int tokensIssued() {
        return tokens.size();
    }

    /** How many REST calls were answered so far, rate-limited and refused ones included. */
    public int calls() {
        return calls.get();
    }

    /** Every REST call routed so far, in order, as {@code METHOD /path} (the {@code /api/v3} prefix left out, no query). */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    void record(String method, String path) {
        requests.add(method + " " + path);
    }

    /** Creates {@code owner/name} with one commit on {@code main}, the App installed on it. */
    public SimulatedRepository createRepository(String owner, String name) {
        String key = owner + "/" + name;
        SimulatedRepository repo = new SimulatedRepository(this, owner, name, nextId(), dir.resolve(owner + "-" + name + ".git"));
        if (repositories.putIfAbsent(key, repo) != null) {
            throw new IllegalArgumentException("repository " + key + " exists already");
        }
        return repo;
    }

    Optional<SimulatedRepository> repository(String owner, String name) {
        return Optional.ofNullable(repositories.get(owner + "/" + name));
    }

    Clock clock() {
        return clock;
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    Payloads payloads() {
        return payloads;
    }

    int countCall() {
        return calls.incrementAndGet();
    }

    /** The rate limit to answer this call with, if any. */
    Optional<RateLimit> takeRateLimit() {
        return rateLimited.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? Optional.of(rateLimitKind) : Optional.empty();
    }

    /**
     * A call whose answer is held back: GitHub did what it asked, and the answer has not reached the
     * caller yet. A test kills the caller meanwhile, then {@link #release}s it.
     */
    public static final class Hold {
        private final String method;
        private final Pattern path;
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        private Hold(String method, String path) {
            this.method = method;
            this.path = Pattern.compile(path);
        }

        /** Waits until the call was carried out and its answer is being held; false after {@code limit}. */
        public boolean awaitReached(Duration limit) throws InterruptedException {
            return reached.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Lets the answer go (to a caller that may be gone). */
        public void release() {
            released.countDown();
        }
    }

    private final AtomicReference<Hold> hold = new AtomicReference<>();

    /**
     * Holds the answer to the next {@code method} call whose API path (e.g. {@code /repos/o/r/git/refs/heads/main})
     * matches {@code path}, after carrying the call out, until {@link Hold#release} (at most a minute).
     */
    public Hold holdAnswer(String method, String path) {
        Hold h = new Hold(method, path);
        hold.set(h);
        return h;
    }

    /** Blocks a call that a {@link Hold} waits for, after it was carried out. */
    void holdIfAsked(String method, String path) {
        Hold h = hold.get();
        if (h == null || !h.method.equals(method) || !h.path.matcher(path).matches() || !hold.compareAndSet(h, null)) {
            return;
        }
        h.reached.countDown();
        try {
            h.released.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The server error to answer this call with, if any. */
    Optional<Integer> takeFailure() {
        return failing.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? Optional.of(failureStatus) : Optional.empty();
    }

    /** Issues an installation token; returns it with its expiry. */
    Map.Entry<String, Instant> issueToken() {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        String token = "ghs_" + HexFormat.of().formatHex(bytes);
        Instant expiry = clock.instant().plus(tokenLifetime);
        tokens.put(token, expiry);
        return Map.entry(token, expiry);
    }

    /** Whether {@code token} is an installation token that has not expired. */
    boolean tokenValid(String token) {
        Instant expiry = tokens.get(token);
        return expiry != null && clock.instant().isBefore(expiry);
    }

    ObjectNode pullJson(SimulatedRepository repo, PullState pr) {
        String head = repo.git.resolve(pr.headRef).map(ObjectId::name).orElse(pr.mergeCommitSha);
        ObjectId base = repo.git.resolve(pr.baseRef).orElseThrow();
        Boolean mergeable = null;
        if (!pr.closed && !pr.merged && head != null) {
            mergeable = !(repo.git.merge(base, ObjectId.fromString(head), "probe", "github", clock.instant())
                instanceof GitStore.MergeResult.Conflict);
        }
        return payloads.pullRequest(repo, pr, head, base.name(), mergeable);
    }

    /**
     * What GitHub does after a ref moved: a push webhook, CI on candidates, {@code synchronize} for
     * pull requests whose head moved, and pull requests whose head is now in their base marked merged.
     */
    void refMoved(SimulatedRepository repo, String ref, ObjectId before, ObjectId after, boolean moveRef) {
        if (moveRef) {
            repo.git.updateRef(ref, after, true);
        }
        webhooks.push(repo, ref, before, after, before != null && !repo.git.isAncestor(before, after));
        if (ref.startsWith(CiModel.CANDIDATES)) {
            ci.candidateMoved(repo, ref, after);
        }
        if (!ref.startsWith(Constants.R_HEADS)) {
            return;
        }
        String branch = ref.substring(Constants.R_HEADS.length());
        List<PullState> open;
        synchronized (repo) {
            open = repo.pulls.values().stream().filter(p -> !p.closed && !p.merged).toList();
        }
        for (PullState pr : open) {
            if (pr.headRef.equals(branch) && before != null) {
                webhooks.pullRequestSynchronized(repo, pr, before, after);
            }
            ObjectId head = repo.git.resolve(pr.headRef).orElse(null);
            if (pr.baseRef.equals(branch) && head != null && repo.git.isAncestor(head, after)) {
                synchronized (repo) {
                    pr.merged = true;
                    pr.closedAt = clock.instant();
                    pr.mergeCommitSha = after.name();
                }
                webhooks.pullRequest(repo, pr, "closed");
            }
        }
    }

    /** CI finished on {@code sha}: one completed check run per check, a status, and their webhooks. */
    void completeChecks(SimulatedRepository repo, String branch, String sha, List<String> checks, boolean passed, String summary) {
        String conclusion = passed ? "success" : "failure";
        for (String check : checks) {
            CheckRunState run = new CheckRunState(nextId(), check, sha, "simulated-ci");
            run.status = "completed";
            run.conclusion = conclusion;
            run.title = passed ? "Passed" : "Failed";
            run.summary = summary;
            run.startedAt = clock.instant();
            run.completedAt = clock.instant();
            synchronized (repo) {
                repo.checkRuns.add(run);
            }
            webhooks.checkRun(repo, run);
        }
        webhooks.checkSuite(repo, payloads.checkSuite(repo, sha, "simulated-ci", "completed", conclusion, checks.size()), branch);
        createStatus(repo, sha, CiModel.STATUS_CONTEXT, passed ? "success" : "failure", summary);
    }

    StatusState createStatus(SimulatedRepository repo, String sha, String context, String state, String description) {
        StatusState status = new StatusState(nextId(), sha, context, state, description, clock.instant());
        synchronized (repo) {
            repo.statuses.add(status);
        }
        webhooks.status(repo, status);
        return status;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        webhooks.close();
        ci.close();
        repositories.values().forEach(r -> r.git.close());
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the simulator's repositories in " + dir, e);
        }
    }
}
