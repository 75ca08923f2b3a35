/**
 * Outbound webhooks: an org's subscriptions ({@link dev.mainstay.platform.flaky.webhooks.Webhooks}),
 * the outbox other features write events to inside their own transaction
 * ({@link dev.mainstay.platform.flaky.webhooks.WebhookOutbox}), and the background deliverer that
 * POSTs them, signed with HMAC-SHA256, retrying with backoff
 * ({@link dev.mainstay.platform.flaky.webhooks.WebhookDeliverer}). docs/flaky.md, "Webhooks", is
 * what receivers rely on.
 */
package dev.mainstay.platform.flaky.webhooks;
