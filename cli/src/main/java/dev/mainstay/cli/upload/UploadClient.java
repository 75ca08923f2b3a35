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
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLHandshakeException;

/**
 * Sends requests to the appliance — a bundle to {@code POST /api/v1/uploads}, a merge queue request —
 * with the JDK's HTTP client, and retries what may
 * pass: connection failures, timeouts, 429 and 5xx, waiting as {@link Backoff} says, up to
 * {@code retries} times. Every other answer is final at once: retrying a 4xx would only repeat
 * it. A certificate that is not trusted is final too, and says how to trust a private CA.
 */
public final class UploadClient {

    /** What came of sending. */
    public sealed interface Outcome {
        /** How many attempts were made. */
        int attempts();
    }

    /** The appliance's last answer: a success, a final refusal, or the 429/5xx that stayed after the retries. */
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

    /** Told of each attempt's bytes as the HTTP client takes them. */
    public interface Progress {
        void started(int attempt, long total);

        void sent(long bytesSoFar);

        void finished();

        void retrying(String why, Duration wait, int nextAttempt, int attempts);
    }

    private final Context context;
    private final HttpClient http;
    private final Backoff backoff;
    private final Duration timeout;
    private final int retries;

    /**
     * @param http    a client with the destination's trust and proxy
     * @param timeout how long one attempt may take, from connecting to the answer's headers
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
        for (int attempt = 1; ; attempt++) {
            String retryable;
            Optional<Duration> askedWait = Optional.empty();
            progress.started(attempt, size);
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
                if (status != 429 && status < 500 || attempt == attempts) {
                    return new Answered(status, response.headers(), response.body(), attempt);
                }
                retryable = "the appliance answered " + Statuses.describe(status);
                askedWait = backoff.retryAfter(response.headers().firstValue("Retry-After"), context.clock());
            } catch (SSLHandshakeException e) {
                progress.finished();
                return new Untrusted(rootMessage(e), attempt);
            } catch (FileNotFoundException e) {
                throw e;
            } catch (HttpTimeoutException e) {
                progress.finished();
                retryable = "the appliance did not answer within " + timeout.toSeconds() + " s";
                if (attempt == attempts) {
                    return new Unreachable(retryable, attempt);
                }
            } catch (IOException e) {
                progress.finished();
                retryable = "could not reach the appliance at " + endpoint.getHost() + ":" + port(endpoint) + ": " + rootMessage(e);
                if (attempt == attempts) {
                    return new Unreachable(retryable, attempt);
                }
            }
            Duration wait = askedWait.isPresent() ? askedWait.get() : backoff.after(attempt);
            progress.retrying(retryable, wait, attempt + 1, attempts);
            context.sleeper().sleep(wait);
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
