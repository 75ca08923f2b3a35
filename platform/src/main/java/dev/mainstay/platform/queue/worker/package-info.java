/**
 * What the merge queue keeps in PostgreSQL and how it is worked: the inbox of GitHub webhook
 * deliveries ({@code POST /webhooks/github} checks each delivery's signature in constant time,
 * drops duplicates by delivery id and by body, and stores it encrypted before answering); the
 * intake that turns deliveries into queue events; the worker that applies events to the engine
 * and writes its decisions to the outbox and what left a queue to its history; and the executor
 * that carries the decisions out on GitHub, exactly once.
 */
package dev.mainstay.platform.queue.store;
