/**
 * Test reports from CI, read as a stream of {@link dev.mainstay.reports.TestExecution}s in
 * constant memory: JUnit XML in its many dialects, Bazel's Build Event Protocol (JSON), RSpec's
 * JSON formatter and the JSON of {@code xcrun xcresulttool get test-results tests}.
 * {@link dev.mainstay.reports.Reports} detects a file's format and parses it under
 * {@link dev.mainstay.reports.ParseLimits}; {@link dev.mainstay.reports.TestIdentity} names a
 * test the same way across uploads. Pure Java: no database, no framework, no clock.
 */
package dev.mainstay.reports;
