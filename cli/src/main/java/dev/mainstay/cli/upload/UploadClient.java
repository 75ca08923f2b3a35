package dev.mainstay.cli.upload;

import dev.mainstay.cli.command.Context;
import dev.mainstay.cli.command.Version;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLHandshakeException;

/**
 * Sends requests to the appliance — a bundle to {@code POST /api/v1/uploads}, a merge queue request —
 * with the JDK's HTTP client, and retries only what can succeed when asked again: connection
 * failures, timeouts, 429, 502, 503 with {@code Retry-After} and 504, unless the answer is a
 * problem marked {@code "permanent": true}; {@link RetryPolicy} has the rules, the problem
 * contract and the 30 s budget. It waits as {@link Backoff} (or the {@code Retry-After}) says, up
 * to {@code retries} times and within the budget, and tells {@link Progress} of every retry and of
 * why it stopped retrying an answer that failed. Every other answer is final at once. A
 * certificate that is not trusted is final too, and says how to trust a private CA.
 */
public final class UploadClient {

    /** What came of sending. */
    public sealed interface Outcome {
        /** How many attempts were made. */
        int attempts();
    }

    /** The appliance's last answer: a success, a final refusal, a 429/5xx not retried, or the one that stayed after the retries. */
    public record Answered(int status, HttpHeaders headers, String body, int attempts) implements Outcome {
        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }
    }

    /** No answer: the last connection failure or timeout after the retries. */
    public record Unreachable(String reason, int attempts) implements Outcome {
    }

    /** The appliance's certificate is not trusted by this JVM and {@code --ca-cert}. */
    public record Untrusted(String reason, int attempts) implements Outcome {
    }

    /** A request's body, made anew for each attempt; told of the bytes as the HTTP client takes them. */
    public interface Body {
        HttpRequest.BodyPublisher open(LongConsumer sent) throws FileNotFoundException;
    }

    /** Told of each attempt's bytes as the HTTP client takes them, and of each retry. */
    public interface Progress {
        void started(int attempt, long total);

        void sent(long bytesSoFar);

        void finished();

        /** Attempt {@code nextAttempt} (of at most {@code attempts}) follows after {@code wait}, because of {@code why}. */
        void retrying(String why, Duration wait, int nextAttempt, int attempts);

        /** An attempt failed and is not retried, for {@code why}; the outcome follows. */
        void notRetrying(String why);

        /** {@code mainstay: WHY; retrying in 2.0 s (attempt 2 of at most 6)}: the line each retry prints. */
        static String retryLine(String why, Duration wait, int nextAttempt, int attempts) {
            return "mainstay: " + why + "; retrying in " + RetryPolicy.seconds(wait) + " (attempt " + nextAttempt + " of at most "
                + attempts + ")";
        }

        /** {@code mainstay: not retrying: WHY}: the line printed when an attempt failed and is not retried. */
        static String notRetryingLine(String why) {
            return "mainstay: not retrying: " + why;
        }
    }

    /** What one attempt came to: an outcome to return, or a failure that may be retried. */
    private sealed interface Attempt {
    }

    private record Done(Outcome outcome) implements Attempt {
    }

    /** {@code outcome} if no retry follows; {@code why} for the retry line; {@code asked} the {@code Retry-After}. */
    private record Failed(Outcome outcome, String why, Optional<Duration> asked) implements Attempt {
    }

    private final Context context;
    private final HttpClient http;
    private final Backoff backoff;
    private final Duration timeout;
    private final int retries;

    /**
     * @param http    a client with the destination's trust and proxy
     * @param timeout how long one attempt may take, from connecting to the answer's headers
     * @param retries how many retries at most; the budget may end them sooner
     */
    public UploadClient(Context context, HttpClient http, Backoff backoff, Duration timeout, int retries) {
        this.http = http;
        this.context = context;
        this.backoff = backoff;
        this.timeout = timeout;
        this.retries = retries;
    }

    /** Sends {@code bundle} to {@code endpoint} with {@code token}, retrying as the class says. */
    Outcome send(URI endpoint, String token, BundleFile bundle, Progress progress) throws IOException, InterruptedException {
        return exchange(endpoint, token, "POST", "application/gzip", bundle.sha256(), bundle.size(),
            sent -> counting(HttpRequest.BodyPublishers.ofFile(bundle.file()), sent), progress);
    }

    /**
     * Sends a request with {@code method} to {@code endpoint}: {@code token} as the bearer, the same
     * {@code idempotencyKey} on every attempt, the body {@code body} makes for each attempt (told of
     * the bytes sent), {@code size} bytes of {@code contentType}; retries as the class says.
     */
    public Outcome exchange(URI endpoint, String token, String method, String contentType, String idempotencyKey, long size,
                            Body body, Progress progress)
        throws IOException, InterruptedException {
        int attempts = retries + 1;
        Optional<Instant> firstFailure = Optional.empty();
        for (int attempt = 1; ; attempt++) {
            progress.started(attempt, size);
            Failed failed;
            switch (once(endpoint, token, method, contentType, idempotencyKey, body, progress, attempt)) {
                case Done done -> {
                    return done.outcome();
                }
                case Failed f -> failed = f;
            }
            if (attempt == attempts) {
                return failed.outcome();
            }
            Instant now = context.clock().instant();
            firstFailure = Optional.of(firstFailure.orElse(now));
            Duration wait = failed.asked().isPresent() ? failed.asked().get() : backoff.after(attempt);
            Optional<String> beyond = RetryPolicy.beyondBudget(wait, failed.asked().isPresent(), Duration.between(firstFailure.get(), now));
            if (beyond.isPresent()) {
                progress.notRetrying(beyond.get());
                return failed.outcome();
            }
            progress.retrying(failed.why(), wait, attempt + 1, attempts);
            context.sleeper().sleep(wait);
        }
    }

    /** Makes attempt number {@code attempt}; a failure that may pass is {@link Failed}, anything else {@link Done}. */
    private Attempt once(URI endpoint, String token, String method, String contentType, String idempotencyKey, Body body,
                         Progress progress, int attempt) throws IOException, InterruptedException {
        try {
            HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", idempotencyKey)
                .header("Content-Type", contentType)
                .header("Accept", "application/json, application/problem+json")
                .header("User-Agent", "mainstay-cli/" + Version.text())
                .method(method, body.open(progress::sent))
                .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            progress.finished();
            int status = response.statusCode();
            Answered answered = new Answered(status, response.headers(), response.body(), attempt);
            if (status != 429 && status < 500) {
                return new Done(answered);
            }
            return switch (RetryPolicy.after(status, response.headers(), response.body(), backoff, context.clock())) {
                case RetryPolicy.Retry retry -> new Failed(answered, retry.why(), retry.asked());
                case RetryPolicy.Final notAgain -> {
                    progress.notRetrying(notAgain.why());
                    yield new Done(answered);
                }
            };
        } catch (SSLHandshakeException e) {
            progress.finished();
            return new Done(new Untrusted(rootMessage(e), attempt));
        } catch (FileNotFoundException e) {
            throw e;
        } catch (HttpTimeoutException e) {
            progress.finished();
            String why = "the appliance did not answer within " + timeout.toSeconds() + " s";
            return new Failed(new Unreachable(why, attempt), why, Optional.empty());
        } catch (IOException e) {
            progress.finished();
            String why = "could not reach the appliance at " + endpoint.getHost() + ":" + port(endpoint) + ": " + rootMessage(e);
            return new Failed(new Unreachable(why, attempt), why, Optional.empty());
        }
    }

    static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** The innermost cause's message, which names what went wrong (connection refused, PKIX path building failed, …). */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /** {@code body}, telling {@code sent} the running total of bytes handed to the client. */
    private static HttpRequest.BodyPublisher counting(HttpRequest.BodyPublisher body, LongConsumer sent) {
        return new HttpRequest.BodyPublisher() {
            @Override
            public long contentLength() {
                return body.contentLength();
            }

            @Override
            public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
                body.subscribe(new Flow.Subscriber<ByteBuffer>() {
                    private long total;

                    @Override
                    public void onSubscribe(Flow.Subscription subscription) {
                        subscriber.onSubscribe(subscription);
                    }

                    @Override
                    public void onNext(ByteBuffer item) {
                        total += item.remaining();
                        sent.accept(total);
                        subscriber.onNext(item);
                    }

                    @Override
                    public void onError(Throwable throwable) {
                        subscriber.onError(throwable);
                    }

                    @Override
                    public void onComplete() {
                        subscriber.onComplete();
                    }
                });
            }
        };
    }
}
