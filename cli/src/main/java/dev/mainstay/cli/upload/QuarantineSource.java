package dev.mainstay.cli.upload;

import dev.mainstay.cli.command.Context;
import dev.mainstay.cli.command.Version;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;

/**
 * Gets the quarantine list of a repository: from the appliance ({@code If-None-Match} with the
 * cached copy's ETag, so an unchanged list is a 304), else, when the appliance cannot be reached or
 * keeps failing, from the signed cached copy while it is valid. A refused token never falls back to
 * the cache: a revoked token must not keep tests quarantined. Failures are retried as
 * {@link RetryPolicy} says (only what can succeed, within its budget), at most {@link #MAX_RETRIES}
 * times; a failure that is not retried falls back to the cache at once.
 */
final class QuarantineSource {

    /** One request, from connecting until the whole answer. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Retries of a list fetch at most: CI is waiting, and the cache covers longer outages. */
    static final int MAX_RETRIES = 2;

    private QuarantineSource() {
    }

    /** What came of it. */
    sealed interface Result {
    }

    /**
     * A list to decide with.
     *
     * @param list where it came from
     * @param from {@code the appliance}, or which cached copy and why
     */
    record Found(QuarantineList list, String from) implements Result {
    }

    /** No list: why, for the fail-safe message. */
    record Missing(String why) implements Result {
    }

    /**
     * The list of {@code repo}.
     *
     * @param cacheFile {@code --quarantine-cache}, when given
     * @param lifetime  how long a fetched copy may stand in for the appliance
     */
    static Result fetch(Context context, Destination destination, String repo, Optional<Path> cacheFile, Duration lifetime)
        throws InterruptedException {
        URI url = destination.quarantine(repo);
        String token = destination.token();
        Instant now = context.clock().instant();
        Optional<QuarantineCache.Copy> cached = Optional.empty();
        String cacheProblem = "";
        if (cacheFile.isPresent()) {
            try {
                cached = Optional.of(QuarantineCache.read(cacheFile.get(), url, token, now));
            } catch (QuarantineCache.Unusable e) {
                cacheProblem = e.getMessage();
            }
        }
        HttpClient http = destination.client(TIMEOUT);
        int attempts = Math.min(destination.retries(), MAX_RETRIES) + 1;
        int made = 0;
        String failure = "";
        Optional<Duration> asked = Optional.empty();
        Optional<Instant> firstFailure = Optional.empty();
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) {
                Instant failed = context.clock().instant();
                firstFailure = Optional.of(firstFailure.orElse(failed));
                Duration wait = asked.isPresent() ? asked.get() : Backoff.DEFAULT.after(attempt - 1);
                if (RetryPolicy.beyondBudget(wait, asked.isPresent(), Duration.between(firstFailure.get(), failed)).isPresent()) {
                    break;
                }
                context.sleeper().sleep(wait);
            }
            made = attempt;
            asked = Optional.empty();
            HttpResponse<String> response;
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(TIMEOUT).GET()
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json, application/problem+json")
                    .header("User-Agent", "mainstay-cli/" + Version.text());
                cached.ifPresent(c -> request.header("If-None-Match", c.etag()));
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (SSLHandshakeException e) {
                return new Missing(Answers.untrusted(url, UploadClient.rootMessage(e)));
            } catch (HttpTimeoutException e) {
                failure = "the appliance did not answer within " + TIMEOUT.toSeconds() + " s";
                continue;
            } catch (IOException e) {
                failure = "could not reach the appliance at " + url.getHost() + ":" + UploadClient.port(url) + ": " + UploadClient.rootMessage(e);
                continue;
            }
            int status = response.statusCode();
            if (status == 200) {
                QuarantineList list;
                try {
                    list = QuarantineList.parse(response.body());
                } catch (IllegalArgumentException e) {
                    return new Missing("the appliance's quarantine list cannot be read: " + e.getMessage());
                }
                save(context, cacheFile, new QuarantineCache.Copy(url, now, now.plus(lifetime),
                    response.headers().firstValue("ETag").orElse(""), response.body()), token);
                return new Found(list, "the appliance");
            }
            if (status == 304 && cached.isPresent()) {
                QuarantineCache.Copy copy = cached.get();
                save(context, cacheFile, new QuarantineCache.Copy(url, now, now.plus(lifetime), copy.etag(), copy.body()), token);
                return parsed(copy, "the appliance (unchanged since the cached copy)");
            }
            String detail = Answers.detail(new UploadClient.Answered(status, response.headers(), response.body(), attempt),
                JsonFields.read(response.body()));
            if (status == 401 || status == 403) {
                return new Missing("the token was refused (" + status + ")" + (detail.isEmpty() ? "" : ": " + detail)
                    + "; reading the quarantine list needs a token with the quarantine:read scope");
            }
            if (status != 429 && status < 500) {
                return new Missing("the appliance answered " + Statuses.describe(status) + (detail.isEmpty() ? "" : ": " + detail)
                    + (status == 404 ? "; is --url the appliance's address, and is it new enough to keep a quarantine list?" : ""));
            }
            failure = "the appliance answered " + Statuses.describe(status) + (detail.isEmpty() ? "" : ": " + detail);
            if (!(RetryPolicy.after(status, response.headers(), response.body(), Backoff.DEFAULT, context.clock())
                instanceof RetryPolicy.Retry retry)) {
                break;
            }
            asked = retry.asked();
        }
        String after = made == 1 ? "" : " (after " + made + " attempts)";
        if (cached.isPresent()) {
            return parsed(cached.get(), "the cached copy fetched at " + cached.get().fetchedAt() + ", since " + failure + after);
        }
        return new Missing(failure + after + (cacheFile.isEmpty() ? "" : "; and the cache cannot stand in: " + cacheProblem));
    }

    private static Result parsed(QuarantineCache.Copy copy, String from) {
        try {
            return new Found(QuarantineList.parse(copy.body()), from);
        } catch (IllegalArgumentException e) {
            return new Missing("the cached quarantine list cannot be read: " + e.getMessage());
        }
    }

    private static void save(Context context, Optional<Path> cacheFile, QuarantineCache.Copy copy, String token) {
        if (cacheFile.isEmpty()) {
            return;
        }
        try {
            QuarantineCache.write(cacheFile.get(), copy, token);
        } catch (IOException e) {
            context.err().println("mainstay: warning: could not write the quarantine cache " + cacheFile.get() + ": " + e.getMessage());
        }
    }
}
