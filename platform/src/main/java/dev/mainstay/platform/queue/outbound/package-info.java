/**
 * Step 3 of the merge queue's webhook flow, Mainstay to GitHub: the executor
 * ({@link dev.mainstay.platform.queue.outbound.QueueExecutor}) carries the worker's decisions out on
 * the code host exactly once (builds candidates, sets the queue check, comments, merges), and
 * reports what CI said about a candidate back as queue events, asking the ingest feature which
 * tests failed and the flaky feature which of those are known to be flaky.
 */
package dev.mainstay.platform.queue.outbound;
