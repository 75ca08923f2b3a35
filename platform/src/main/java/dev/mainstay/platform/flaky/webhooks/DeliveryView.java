package dev.mainstay.platform.flaky.webhooks;

import java.time.Instant;
import java.util.UUID;

/**
 * A delivery as the page shows it.
 *
 * @param id            its id, sent as {@code X-Mainstay-Delivery}
 * @param webhookId     the webhook it is for
 * @param url           that webhook's URL
 * @param event         the event type
 * @param state         pending, delivered or failed
 * @param attempts      attempts made so far
 * @param lastStatus    the HTTP status of the last attempt; null when it got no answer, or none was made
 * @param lastError     why the last attempt failed; empty when it did not
 * @param createdAt     when the event happened
 * @param lastAttemptAt when it was last attempted; null before the first attempt
 * @param nextAttemptAt when it is next attempted; null once delivered or failed
 */
public record DeliveryView(UUID id, UUID webhookId, String url, String event, String state, int attempts, Integer lastStatus,
                           String lastError, Instant createdAt, Instant lastAttemptAt, Instant nextAttemptAt) {

    /** The last answer in a few words: the status, the error, or nothing yet. */
    public String lastOutcome() {
        if (lastStatus != null) {
            return "HTTP " + lastStatus + (lastError.isEmpty() ? "" : ": " + lastError);
        }
        return lastError;
    }
}
