package dev.mainstay.cli.command;

import java.util.List;

/** A subcommand: its name, its help, and what it does. */
public interface Command {

    /** As typed, e.g. {@code upload} or {@code reports summarize}. */
    String name();

    /** The words after the name in the usage line, e.g. {@code [--json] FILES...}. */
    String usage();

    /** One line: what it does. */
    String summary();

    /** The options it accepts ({@code --help} is always accepted). */
    List<Option> options();

    /** True when it takes positional words (files). */
    boolean takesFiles();

    /**
     * Runs with the parsed command line; returns the exit status (an {@link ExitCode}'s, or for {@code test} the tests' own).
     *
     * @throws UsageException when the command line cannot be carried out as written
     */
    int run(Context context, Arguments arguments) throws UsageException;
}
