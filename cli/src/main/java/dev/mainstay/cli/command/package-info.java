/**
 * What every subcommand shares: the {@link dev.mainstay.cli.command.Command} contract, the
 * hand-rolled {@link dev.mainstay.cli.command.Arguments} parser, the documented
 * {@link dev.mainstay.cli.command.ExitCode}s, and the {@link dev.mainstay.cli.command.Context}
 * (environment, working directory, streams, clock) a command sees instead of the process's globals.
 */
package dev.mainstay.cli.command;
