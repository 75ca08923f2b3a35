/**
 * The {@code mainstay} command line for CI runners: {@link dev.mainstay.cli.Main} reads the
 * subcommand and hands over to {@code upload}, {@code validate} or {@code reports summarize}. It
 * depends on the reports module only (parsers, bundle format), never on the appliance; the design
 * is in docs/design.md, "The CLI".
 */
package dev.mainstay.cli;
