/**
 * Flaky-test detection on the appliance: every stored upload (not an infrastructure failure) is
 * queued for re-scoring in its own transaction ({@link dev.mainstay.platform.flaky.RescoreQueue}),
 * and {@link dev.mainstay.platform.flaky.Rescoring}, off the request path, re-scores only the
 * tests that upload touched with the {@code flaky} module's detector, storing each test's verdict
 * and every transition ({@link dev.mainstay.platform.flaky.Verdicts}). Failures are grouped into
 * clusters by their signature, computed at ingest ({@link dev.mainstay.platform.flaky.FailureClusters}).
 * docs/flaky.md states the rules.
 */
package dev.mainstay.platform.flaky;
