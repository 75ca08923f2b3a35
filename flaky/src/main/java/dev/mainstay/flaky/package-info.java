/**
 * Flaky-test detection as a pure function: a test's recent {@link dev.mainstay.flaky.Execution}s,
 * its previous {@link dev.mainstay.flaky.Verdict} and {@code now} in, a new verdict out
 * ({@link dev.mainstay.flaky.Detector}). Three independent {@link dev.mainstay.flaky.Monitor}s
 * look for evidence — a failure and a pass on the same commit, a failure rate on protected
 * branches with hysteresis, and a Bayesian flakiness score with its confidence — and a test
 * whose latest runs on a protected branch all fail is broken, never flaky. The appliance runs
 * this after every upload; {@code mainstay flaky classify} runs it on a history file
 * ({@link dev.mainstay.flaky.history}). No database, no framework, no clock, no files.
 */
package dev.mainstay.flaky;
