/**
 * Reading reports on this machine before anything is sent: {@link dev.mainstay.cli.check.LocalReport}
 * parses one with the appliance's own parsers (Bazel's referenced {@code test.xml} files from this
 * disk), and the {@code validate} and {@code reports summarize} commands print the results.
 */
package dev.mainstay.cli.check;
