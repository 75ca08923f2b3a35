/**
 * The merge queue in the appliance, one folder per step of a GitHub webhook's way through it:
 * {@link dev.mainstay.platform.queue.inbound} receives and checks deliveries and turns them into queue
 * events; {@link dev.mainstay.platform.queue.worker} applies the events to the pure engine of the
 * {@code mainstay-queue} module and stores its decisions (it owns every {@code merge_queue*} table);
 * {@link dev.mainstay.platform.queue.outbound} carries the decisions out on GitHub through
 * {@link dev.mainstay.platform.queue.forge}. {@link dev.mainstay.platform.queue.web} shows and
 * steers the queues. This package wires the GitHub settings and code hosts they share.
 */
package dev.mainstay.platform.queue;
