/**
 * The merge-queue engine: a pure state machine ({@link dev.mainstay.queue.engine.MergeQueue}) that
 * turns {@link dev.mainstay.queue.engine.QueueEvent}s and the time they happened into
 * {@link dev.mainstay.queue.engine.Decision}s. No I/O, no clock, no randomness, no threads, no
 * framework: the appliance, the simulator and the tests drive the same code. Its states and rules:
 * DESIGN.md beside these classes.
 */
package dev.mainstay.queue.engine;
