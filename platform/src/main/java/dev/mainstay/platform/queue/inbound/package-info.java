/**
 * Step 1 of the merge queue's webhook flow, GitHub to Mainstay: {@code POST /webhooks/github}
 * ({@link dev.mainstay.platform.queue.inbound.GitHubWebhookReceiver}) checks each delivery's
 * signature in constant time, drops duplicates by delivery id and by body, and stores it encrypted
 * in the inbox ({@code github_inbox}) before answering; the intake
 * ({@link dev.mainstay.platform.queue.inbound.GitHubIntake}) then reads the inbox and turns each
 * delivery (a command comment, a pull request updated or closed, a push to a queued branch) into
 * queue events for the worker; a check result wakes the executor.
 */
package dev.mainstay.platform.queue.inbound;
