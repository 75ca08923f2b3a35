/**
 * The JSON of {@code xcrun xcresulttool get test-results tests}
 * ({@link dev.mainstay.reports.xcresult.XcresultJsonParser}): one execution per test case, per
 * argument, device or configuration it ran with, and per repetition.
 */
package dev.mainstay.reports.xcresult;
