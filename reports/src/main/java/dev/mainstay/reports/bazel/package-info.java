/**
 * Bazel's Build Event Protocol as JSON ({@link dev.mainstay.reports.bazel.BazelBepParser}): one
 * execution per test case of each attempt's {@code test.xml} when the uploader supplied it, else
 * one per attempt of each test target.
 */
package dev.mainstay.reports.bazel;
