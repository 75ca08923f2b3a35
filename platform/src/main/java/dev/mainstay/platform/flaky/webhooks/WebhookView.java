package dev.mainstay.platform.flaky.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A webhook as the API and page show it: never its secret.
 *
 * @param id        its id
 * @param url       where deliveries are POSTed
 * @param events    the events it is subscribed to
 * @param enabled   whether events are queued and sent for it
 * @param createdBy who made it
 * @param createdAt when
 */
public record WebhookView(UUID id, String url, List<String> events, boolean enabled, String createdBy, Instant createdAt) {
}
