package dev.mainstay.cli;

import dev.mainstay.cli.check.SummarizeCommand;
import dev.mainstay.cli.check.ValidateCommand;
import dev.mainstay.cli.command.Arguments;
import dev.mainstay.cli.command.Command;
import dev.mainstay.cli.command.Context;
import dev.mainstay.cli.command.ExitCode;
import dev.mainstay.cli.command.Option;
import dev.mainstay.cli.command.Sleeper;
import dev.mainstay.cli.command.UsageException;
import dev.mainstay.cli.command.Version;
import dev.mainstay.cli.flaky.BacktestCommand;
import dev.mainstay.cli.flaky.ClassifyCommand;
import dev.mainstay.cli.queue.EntryCommand;
import dev.mainstay.cli.queue.TargetsCommand;
import dev.mainstay.cli.queue.SimulateCommand;
import dev.mainstay.cli.upload.TestCommand;
import dev.mainstay.cli.upload.UploadCommand;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code mainstay} command for CI runners: {@code upload}, {@code test}, {@code validate},
 * {@code reports summarize}, {@code flaky classify}, {@code flaky backtest}, {@code queue simulate}, {@code queue enqueue}, {@code queue cancel}, {@code help}, {@code version}. {@link #run} does everything and
 * returns the exit code, so tests call it in-process; only {@link #main} exits.
 */
public final class Main {

    static final List<Command> COMMANDS = List.of(new UploadCommand(), new TestCommand(), new ValidateCommand(), new SummarizeCommand(),
        new ClassifyCommand(), new BacktestCommand(), new SimulateCommand(), EntryCommand.enqueue(), EntryCommand.cancel(),
        new TargetsCommand());

    private Main() {
    }

    public static void main(String[] args) {
        // CI runners often have no locale, which makes the JVM print test names (" › ", non-ASCII names) as '?';
        // their logs are read as UTF-8, so write UTF-8.
        System.setOut(utf8(System.out, FileDescriptor.out));
        System.setErr(utf8(System.err, FileDescriptor.err));
        Context context = new Context(System.getenv(), Path.of(""), System.out, System.err, System.console() != null,
            System.getProperty("os.name", ""), Clock.systemUTC(), Sleeper.THREAD);
        int code = run(context, args);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    private static PrintStream utf8(PrintStream stream, FileDescriptor fd) {
        return stream.charset().equals(StandardCharsets.UTF_8) ? stream
            : new PrintStream(new FileOutputStream(fd), true, StandardCharsets.UTF_8);
    }

    /** Runs the command line {@code args} in {@code workingDir} with {@code env}, as a non-interactive process on this OS would. */
    public static int run(String[] args, Map<String, String> env, Path workingDir, PrintStream out, PrintStream err) {
        return run(new Context(env, workingDir, out, err, false, System.getProperty("os.name", ""), Clock.systemUTC(), Sleeper.THREAD), args);
    }

    /** Runs the command line {@code args} in {@code context}; returns the exit code. */
    public static int run(Context context, String[] args) {
        List<String> words = Arrays.asList(args);
        if (words.isEmpty() || List.of("help", "--help", "-h").contains(words.get(0))) {
            return help(context, words.size() > 1 ? words.subList(1, words.size()) : List.of());
        }
        if (List.of("version", "--version").contains(words.get(0))) {
            context.out().println("mainstay-cli " + Version.text());
            return ExitCode.OK.code();
        }
        Optional<Command> command = find(words);
        if (command.isEmpty()) {
            return usage(context, "unknown command '" + String.join(" ", words.subList(0, Math.min(2, words.size()))) + "'", "");
        }
        Command c = command.get();
        List<String> rest = words.subList(c.name().split(" ").length, words.size());
        if (rest.contains("--help") || rest.contains("-h")) {
            context.out().print(Help.command(c));
            return ExitCode.OK.code();
        }
        try {
            return c.run(context, Arguments.parse(c.name(), c.options(), rest, c.takesFiles()));
        } catch (UsageException e) {
            return usage(context, e.getMessage(), c.name());
        }
    }

    private static Optional<Command> find(List<String> words) {
        String two = String.join(" ", words.subList(0, Math.min(2, words.size())));
        return COMMANDS.stream().filter(c -> c.name().equals(words.get(0)) || c.name().equals(two)).findFirst();
    }

    private static int help(Context context, List<String> topic) {
        if (topic.isEmpty()) {
            context.out().print(Help.overview(COMMANDS));
            return ExitCode.OK.code();
        }
        Optional<Command> command = find(topic);
        if (command.isEmpty()) {
            return usage(context, "no help for '" + String.join(" ", topic) + "': not a command", "");
        }
        context.out().print(Help.command(command.get()));
        return ExitCode.OK.code();
    }

    private static int usage(Context context, String message, String command) {
        context.err().println("mainstay: " + message);
        context.err().println("mainstay: see 'mainstay help" + (command.isEmpty() ? "" : " " + command) + "'");
        return ExitCode.USAGE.code();
    }

    /** The help text, built from the commands' own option lists so that it cannot drift from what they accept. */
    static final class Help {

        private Help() {
        }

        static String overview(List<Command> commands) {
            StringBuilder text = new StringBuilder();
            text.append("mainstay ").append(Version.text()).append(": send test reports from CI to Mainstay\n\n");
            text.append("Usage:\n");
            for (Command c : commands) {
                text.append(String.format("  mainstay %-18s %s%n", c.name(), c.summary()));
            }
            text.append(String.format("  mainstay %-18s %s%n", "help [COMMAND]", "this text, or a command's options"));
            text.append(String.format("  mainstay %-18s %s%n", "version", "the CLI's version"));
            text.append("\n").append(exitCodes());
            text.append("\nEvery other command (dev, serve, tokens, audit, keycloak) is the appliance's: ./mainstay in the repository runs it.\n");
            return text.toString();
        }

        static String command(Command c) {
            StringBuilder text = new StringBuilder();
            text.append("Usage: mainstay ").append(c.name()).append(' ').append(c.usage()).append("\n\n");
            text.append(c.summary()).append("\n");
            List<Option> options = new ArrayList<>(c.options());
            if (!options.isEmpty()) {
                text.append("\nOptions:\n");
                for (Option o : options) {
                    text.append(String.format("  %-24s %s%n", o.synopsis(), o.help()));
                }
            }
            text.append("\n").append(exitCodes());
            return text.toString();
        }

        static String exitCodes() {
            StringBuilder text = new StringBuilder("Exit codes:\n");
            for (ExitCode e : ExitCode.values()) {
                text.append("  ").append(e.code()).append("  ").append(e.meaning()).append('\n');
            }
            return text.toString();
        }
    }
}
