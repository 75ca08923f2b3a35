/**
 * Step 2 of the merge queue's webhook flow, deciding: the queue events the intake, the API and
 * the pages submit are stored per queue, and the worker
 * ({@link dev.mainstay.platform.queue.worker.QueueWorker}) applies them in order to the pure engine,
 * writing the engine's decisions to the outbox and what left a queue to its history. This package
 * is the only one that reads or writes the {@code merge_queue*} tables: the queues and their
 * events, outbox, history, candidate tests, settings and posted impacted targets; the executor
 * claims and settles decisions through {@link dev.mainstay.platform.queue.worker.QueueStore}.
 */
package dev.mainstay.platform.queue.worker;
