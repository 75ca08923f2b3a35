/**
 * Benchmarks that print their figures; the numbers are recorded in bench/RESULTS.md with the
 * machine and date. Speed and memory goals are checked here, never by timed unit tests.
 */
package dev.mainstay.bench;
