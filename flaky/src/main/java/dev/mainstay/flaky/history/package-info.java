/**
 * Detection run offline, on a history file, so that anyone can measure it and tune thresholds on
 * their own data: {@link dev.mainstay.flaky.history.HistoryReader} reads the JSON Lines format
 * (one execution per line), {@link dev.mainstay.flaky.history.Replay} runs the same
 * {@link dev.mainstay.flaky.Detector} the appliance runs, execution by execution, and
 * {@link dev.mainstay.flaky.history.Backtest} scores its verdicts against labels. No files are
 * opened here: callers hand in readers.
 */
package dev.mainstay.flaky.history;
