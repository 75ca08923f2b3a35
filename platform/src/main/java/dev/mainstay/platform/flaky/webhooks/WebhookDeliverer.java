package dev.mainstay.platform.flaky.webhooks;

import dev.mainstay.platform.app.ApplianceConfig;
import dev.mainstay.platform.crypto.FieldCipher;
import dev.mainstay.platform.jobs.work.BackgroundThread;
import dev.mainstay.platform.jobs.work.ExternalWork;
import dev.mainstay.platform.jobs.work.RetryPolicy;
import dev.mainstay.platform.jobs.work.WorkSettings;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Sends the outbox's due deliveries on one background thread: woken after a change that queued
 * events commits, when the next retry falls due, and every {@value #POLL_SECONDS} s in case a
 * wake-up was lost (another replica's change, a restart).
 *
 * <p>A delivery is claimed in a short transaction ({@code FOR UPDATE SKIP LOCKED}, so replicas take
 * different ones) that counts the attempt and moves its next attempt a lease ahead; the POST is made
 * with no transaction open; its outcome is stored in another. A crash during the POST leaves the
 * delivery to be tried again when the lease runs out: delivery is at least once, and receivers drop
 * duplicates by {@code X-Mainstay-Delivery}. A 2xx answer delivers it; anything else — another
 * status, a redirect (never followed), a timeout, a refused connection or TLS failure — is retried
 * by {@link WebhookSettings#retry} ({@link ExternalWork}: the POST holds no transaction), until
 * {@link WebhookSettings#maxAttempts} are used up and it fails. Neither the secret nor the receiver's answer body is ever logged or stored.
 */
@ApplicationScoped
public class WebhookDeliverer {

    static final int POLL_SECONDS = 5;
    /** Deliveries claimed per round trip. */
    private static final int BATCH = 20;
    /** How long a claimed delivery is left alone beyond the attempt's timeout before it is tried again. */
    private static final Duration LEASE_MARGIN = Duration.ofMinutes(1);

    private static final Logger LOG = Logger.getLogger(WebhookDeliverer.class.getName());

    private final DataSource dataSource;
    private final FieldCipher cipher;
    private final WebhookSettings settings;
    private final WebhookSignature signature;
    private final Clock clock;
    private final WorkSettings work;
    private final BackgroundThread background;
    private HttpClient http;

    /** A claimed delivery, with what its attempt needs. */
    private record Claimed(UUID id, String org, UUID webhook, String url, byte[] secret, String event, String payload, int attempts) {
    }

    /** How one attempt ended: an HTTP status, or none and why. */
    private record Outcome(Integer status, String error) {
        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }

        /** Why it was not delivered; null when it was. */
        String failure() {
            return delivered() ? null : status != null && error.isEmpty() ? "not a 2xx answer" : error;
        }
    }

    @Inject
    WebhookDeliverer(@Named(ApplianceConfig.DATA_SOURCE) DataSource dataSource, FieldCipher cipher, WebhookSettings settings,
                     WebhookSignature signature, Clock clock) {
        this.dataSource = dataSource;
        this.cipher = cipher;
        this.settings = settings;
        this.signature = signature;
        this.clock = clock;
        this.work = new WorkSettings("mainstay-webhook-deliverer", Duration.ofSeconds(POLL_SECONDS), BATCH, Optional.of(settings.retry()));
        this.background = work.thread(LOG, "send webhook deliveries", this::drainAndLog);
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        http = HttpClient.newBuilder().sslContext(settings.sslContext()).followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(settings.timeout()).build();
        background.start();
    }

    /**
     * Asks for due deliveries to be sent soon, on the background thread. Call it after the
     * transaction that {@link WebhookOutbox#enqueue queued} events commits; wake-ups that come while
     * one is waiting are merged.
     */
    public void wake() {
        background.wake();
    }

    /**
     * Sends due deliveries until none is left (or other replicas hold the rest).
     *
     * @return how many deliveries were finished: delivered, or failed for good
     */
    int drain() throws SQLException {
        int finished = new ExternalWork<>(dataSource, clock, work, new ExternalWork.Steps<Claimed, Outcome>() {
            @Override
            public List<Claimed> claim(Connection c, Instant now, int batch) throws SQLException {
                return WebhookDeliverer.this.claim(c, now, batch);
            }

            @Override
            public int attempt(Claimed delivery) {
                return delivery.attempts();
            }

            @Override
            public Outcome handle(Claimed delivery) {
                return post(delivery);
            }

            @Override
            public String failure(Outcome outcome) {
                return outcome.failure();
            }

            @Override
            public void finish(Connection c, Claimed delivery, Outcome outcome, RetryPolicy.Attempt failed, Instant now)
                throws SQLException {
                store(c, delivery, outcome, failed, now);
            }

            @Override
            public String describe(Claimed d) {
                return "webhook delivery " + d.id() + " (" + d.event() + ") to webhook " + d.webhook() + " of " + d.org();
            }
        }, LOG).drain();
        scheduleNextRetry(clock.instant());
        return finished;
    }

    /** Claims up to {@code batch} due deliveries, counting their attempt and moving their next attempt a lease ahead. */
    private List<Claimed> claim(Connection c, Instant now, int batch) throws SQLException {
        List<Claimed> claimed = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT d.id, d.org, w.id, w.url, w.secret, d.event, d.payload, d.attempts"
            + " FROM flaky_webhook_delivery d JOIN flaky_webhook w ON w.id = d.webhook_id"
            + " WHERE d.state = 'pending' AND d.next_attempt_at <= ? AND w.enabled ORDER BY d.next_attempt_at LIMIT ?"
            + " FOR UPDATE OF d SKIP LOCKED")) {
            s.setTimestamp(1, Timestamp.from(now));
            s.setInt(2, batch);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    claimed.add(new Claimed(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class), rs.getString(4),
                        rs.getBytes(5), rs.getString(6), rs.getString(7), rs.getInt(8) + 1));
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE flaky_webhook_delivery SET attempts = attempts + 1,"
            + " last_attempt_at = ?, next_attempt_at = ? WHERE id = ?")) {
            for (Claimed d : claimed) {
                s.setTimestamp(1, Timestamp.from(now));
                s.setTimestamp(2, Timestamp.from(now.plus(settings.timeout()).plus(LEASE_MARGIN)));
                s.setObject(3, d.id());
                s.addBatch();
            }
            s.executeBatch();
        }
        return claimed;
    }

    private Outcome post(Claimed d) {
        URI uri;
        try {
            uri = URI.create(d.url());
        } catch (IllegalArgumentException e) {
            return new Outcome(null, "the URL cannot be used: " + e.getMessage());
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) && !settings.allowHttp()) {
            return new Outcome(null, "not sent: plain http is refused since " + WebhookSettings.ALLOW_HTTP + " is not true");
        }
        String secret;
        try {
            secret = cipher.decryptString(Webhooks.secretContext(d.org(), d.webhook()), d.secret());
        } catch (RuntimeException e) {
            return new Outcome(null, "not sent: the webhook's secret cannot be decrypted (" + e.getMessage() + ")");
        }
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(settings.timeout())
            .header("Content-Type", "application/json")
            .header("User-Agent", "Mainstay-Webhooks/" + WebhookOutbox.VERSION)
            .header("X-Mainstay-Event", d.event())
            .header("X-Mainstay-Delivery", d.id().toString())
            .header("X-Mainstay-Timestamp", Long.toString(timestamp))
            .header("X-Mainstay-Signature", signature.sign(secret, timestamp, d.payload()))
            .POST(HttpRequest.BodyPublishers.ofString(d.payload())).build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            if (status >= 300 && status < 400) {
                return new Outcome(status, "redirected to " + response.headers().firstValue("Location").orElse("(no Location)")
                    + "; webhooks do not follow redirects, give the final URL");
            }
            return new Outcome(status, "");
        } catch (HttpTimeoutException e) {
            return new Outcome(null, "no answer within " + settings.timeout().toSeconds() + " s");
        } catch (IOException e) {
            return new Outcome(null, describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(null, "not sent: the appliance is stopping");
        }
    }

    /** Stores how an attempt ended: delivered, to be tried again ({@code failed}'s next attempt), or failed for good. */
    private static void store(Connection c, Claimed d, Outcome outcome, RetryPolicy.Attempt failed, Instant now) throws SQLException {
        boolean delivered = failed == null;
        boolean givenUp = !delivered && failed.setAside();
        Instant next = delivered || givenUp ? null : failed.next();
        try (PreparedStatement s = c.prepareStatement("UPDATE flaky_webhook_delivery SET state = ?, last_status = ?, last_error = ?,"
            + " next_attempt_at = ?, finished_at = ? WHERE id = ? AND state = 'pending' AND attempts = ?")) {
            s.setString(1, delivered ? "delivered" : givenUp ? "failed" : "pending");
            s.setObject(2, outcome.status(), java.sql.Types.INTEGER);
            s.setString(3, delivered ? "" : failed.error());
            s.setTimestamp(4, next == null ? null : Timestamp.from(next));
            s.setTimestamp(5, next == null ? Timestamp.from(now) : null);
            s.setObject(6, d.id());
            s.setInt(7, d.attempts());
            s.executeUpdate();
        }
    }

    /** Wakes the thread when the next retry falls due, if that is before the next poll. */
    private void scheduleNextRetry(Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT min(d.next_attempt_at) FROM flaky_webhook_delivery d"
                 + " JOIN flaky_webhook w ON w.id = d.webhook_id WHERE d.state = 'pending' AND w.enabled");
             ResultSet rs = s.executeQuery()) {
            Timestamp next = rs.next() ? rs.getTimestamp(1) : null;
            if (next != null) {
                background.wakeIn(Duration.between(now, next.toInstant()));
            }
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? "" : ": " + e.getMessage();
        Throwable cause = e.getCause();
        String because = cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")";
        return e.getClass().getSimpleName().replaceAll("Exception$", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT)
            + message + because;
    }

    private void drainAndLog() throws SQLException {
        int finished = drain();
        if (finished > 0) {
            LOG.fine(() -> finished + " webhook deliveries delivered or failed for good");
        }
    }

    @PreDestroy
    void stop() {
        background.stop();
    }
}
