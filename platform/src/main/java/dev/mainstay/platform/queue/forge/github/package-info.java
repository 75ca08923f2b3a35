/**
 * The merge queue's {@link dev.mainstay.platform.queue.forge.Forge} on GitHub (github.com or GitHub
 * Enterprise Server), as a GitHub App: {@link dev.mainstay.platform.queue.forge.github.GitHubApp}
 * signs the App's RS256 JWTs itself (keys read with BouncyCastle, PKCS#1 or PKCS#8), exchanges them
 * for installation tokens cached until a minute before expiry, and hands out a forge per repository.
 *
 * <p>The REST client is hub4j's {@code org.kohsuke:github-api} (1.330), not a hand-written one:
 * <ul>
 *   <li>it covers every endpoint the queue calls (pulls, reviews, refs, the merges API, Git Data
 *       commits, check runs, statuses, branch protection, collaborator permission, App installations);</li>
 *   <li>it takes any base URL, so GHES's {@code https://host/api/v3} works like {@code https://api.github.com};</li>
 *   <li>it runs on the JDK's {@code java.net.http.HttpClient} ({@code HttpClientGitHubConnector}),
 *       which takes the SSL context that trusts a GHES's private CA; no OkHttp;</li>
 *   <li>it handles both rate limits: the secondary ("abuse") limit waits for {@code Retry-After} and
 *       retries ({@code GitHubAbuseLimitHandler.WAIT}), the primary one waits for
 *       {@code x-ratelimit-reset} ({@code GitHubRateLimitHandler.WAIT}); connection failures are retried;</li>
 *   <li>it is maintained, MIT-licensed, and needs only Jackson and commons-lang3/io, which the
 *       appliance already has; its own JWT support (jjwt) is optional and not used.</li>
 * </ul>
 * Rejected: Eclipse EGit's GitHub client (unmaintained, no Checks or App API), a generated OpenAPI
 * client (thousands of classes for twenty calls, and rate limits left to us), and a hand-written
 * client (rate limits, pagination and error mapping are where such clients go wrong).
 *
 * <p>Check suites and workflow runs are not read: required checks are check-run names and status
 * contexts, and a workflow reports through its jobs' check runs.
 */
package dev.mainstay.platform.queue.forge.github;
