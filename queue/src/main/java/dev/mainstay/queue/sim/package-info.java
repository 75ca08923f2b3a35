/**
 * The merge-queue simulator: virtual time driving the real {@link dev.mainstay.queue.engine.MergeQueue}
 * against a seeded model of a repository's CI ({@link dev.mainstay.queue.sim.Scenario}), once per
 * {@link dev.mainstay.queue.sim.Strategy}, with every merge checked against the queue's invariant.
 * Operators run it ({@code mainstay queue simulate}) to model their own repositories and tune the
 * queue's settings before rollout. Everything follows from the scenario's seed: no clock, no
 * threads, no iteration order of a hash map reaches a result.
 */
package dev.mainstay.queue.sim;
