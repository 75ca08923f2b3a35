/**
 * The merge queue's pages and API: each org's queues, a queue's entries, candidate tests and
 * history, live; enqueueing and cancelling by API token.
 */
package dev.mainstay.platform.queue.web;
