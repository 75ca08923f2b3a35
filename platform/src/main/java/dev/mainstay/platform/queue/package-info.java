/**
 * The merge queue in the appliance: code-host events in ({@link dev.mainstay.platform.queue.store}),
 * the pure engine of the {@code mainstay-queue} module deciding, and the forge carrying out its decisions.
 */
package dev.mainstay.platform.queue;
