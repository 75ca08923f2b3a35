/**
 * Test reports from CI, read front to back as a stream of
 * {@link dev.mainstay.reports.TestExecution}s handed to an {@link dev.mainstay.reports.ExecutionSink},
 * without holding the file in memory: JUnit XML in its many dialects, Bazel's Build Event Protocol
 * (JSON), RSpec's JSON formatter and the JSON of {@code xcrun xcresulttool get test-results tests}.
 * {@link dev.mainstay.reports.Reports} is the way in: it detects a report's
 * {@link dev.mainstay.reports.ReportFormat} from its first bytes, gives the format's
 * {@link dev.mainstay.reports.ReportParser}, or does both and parses under
 * {@link dev.mainstay.reports.ParseLimits}; a report it cannot read is a
 * {@link dev.mainstay.reports.ReportException} naming the file, the line when known, and the problem.
 * {@link dev.mainstay.reports.TestIdentity} names a test the same way across uploads. Pure Java:
 * no database, no framework, no clock, no files or network (Bazel's {@code test.xml} files come
 * through {@link dev.mainstay.reports.ReferencedFiles}).
 */
package dev.mainstay.reports;
