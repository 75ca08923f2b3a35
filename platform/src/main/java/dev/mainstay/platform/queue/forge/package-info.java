/**
 * The merge queue's code-host SPI: {@link dev.mainstay.platform.queue.forge.Forge}, what a code host
 * must do for the queue (read pull requests and required checks, build candidate branches, read
 * check states, move the target branch safely, report on pull requests), in the engine's terms.
 * Refusals the queue acts on are results ({@link dev.mainstay.platform.queue.forge.CandidateResult},
 * {@link dev.mainstay.platform.queue.forge.BranchUpdate}); GitHub's implementation is in {@code github}.
 */
package dev.mainstay.platform.queue.forge;
