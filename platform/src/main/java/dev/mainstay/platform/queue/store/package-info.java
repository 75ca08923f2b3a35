/**
 * What the merge queue keeps in PostgreSQL. So far the inbox of GitHub webhook deliveries:
 * {@code POST /webhooks/github} checks each delivery's signature in constant time, drops
 * duplicates by delivery id and by body, and stores it (encrypted) before answering, so that a
 * delivery GitHub saw acknowledged is never lost.
 */
package dev.mainstay.platform.queue.store;
