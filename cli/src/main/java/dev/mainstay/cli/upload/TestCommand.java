package dev.mainstay.cli.upload;

import dev.mainstay.cli.command.Arguments;
import dev.mainstay.cli.command.Command;
import dev.mainstay.cli.command.Context;
import dev.mainstay.cli.command.ExitCode;
import dev.mainstay.cli.command.Option;
import dev.mainstay.cli.command.UsageException;
import dev.mainstay.reports.bundle.UploadMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code mainstay test [options] -- COMMAND...}: runs the tests, uploads the reports they wrote, and
 * exits 0 when every test that failed is quarantined, else with the command's own exit code
 * ({@link QuarantineDecision}). Reports older than the run are left out: a run that stopped before
 * writing its reports must not be judged by the last run's. An appliance that cannot be reached
 * never turns a red run green (unless a valid {@code --quarantine-cache} copy says so), and never
 * turns a green run red.
 */
public final class TestCommand implements Command {

    /** The exit status when the command cannot be started, as a shell gives for a command not found. */
    static final int CANNOT_RUN = 127;
    /** The exit status when this process is interrupted while the tests run, as a shell gives for Ctrl+C. */
    static final int INTERRUPTED = 130;
    /** File times may be rounded to the second (or 2 s on FAT); a report written at the run's start counts. */
    private static final Duration MTIME_SLACK = Duration.ofSeconds(2);
    private static final Set<String> UPLOAD_ONLY = Set.of("dry-run", "json", "test-process-exit-code", "quarantine-cache",
        "quarantine-cache-hours");

    private final UploadCommand upload = new UploadCommand();

    @Override
    public String name() {
        return "test";
    }

    @Override
    public String usage() {
        return "--url URL --junit GLOB... [--bazel-bep FILE...] [--rspec FILE...] [options] -- COMMAND [ARGS...]";
    }

    @Override
    public String summary() {
        return "run the tests, upload their reports; exit 0 when every failed test is quarantined, else the tests' own exit code";
    }

    @Override
    public List<Option> options() {
        List<Option> options = new ArrayList<>(upload.options().stream().filter(o -> !UPLOAD_ONLY.contains(o.name())).toList());
        options.addAll(QuarantineDecision.OPTIONS);
        return options;
    }

    @Override
    public boolean takesFiles() {
        return true;
    }

    @Override
    public int run(Context context, Arguments arguments) throws UsageException {
        List<String> command = arguments.positionals();
        if (command.isEmpty()) {
            throw new UsageException("name the test command after --, e.g. mainstay test --junit '**/TEST-*.xml' -- ./mvnw test");
        }
        if (!RequestedReport.named(arguments)) {
            throw new UsageException("name the reports the tests write with --junit, --bazel-bep, --rspec or --xcresult");
        }
        QuarantineDecision decision = QuarantineDecision.from(context, arguments);
        Destination destination = Destination.from(context, arguments, false);
        UploadMetadata metadata = UploadCommand.facts(context, arguments).metadata();

        Instant started = context.clock().instant();
        int exit = execute(context, command);
        context.err().println("mainstay: the tests exited with " + exit);

        List<RequestedReport> fresh = new ArrayList<>();
        int stale = 0;
        for (RequestedReport r : RequestedReport.collect(context, arguments, true)) {
            if (writtenSince(r.path(), started.minus(MTIME_SLACK))) {
                fresh.add(r);
            } else {
                stale++;
            }
        }
        if (stale > 0) {
            context.err().println("mainstay: left out " + stale + (stale == 1 ? " report" : " reports") + " older than this run");
        }
        FailingTests failing = new FailingTests();
        if (fresh.isEmpty()) {
            context.err().println("mainstay: the tests wrote no report that the patterns match; nothing was uploaded");
            return exit == 0 ? 0 : QuarantineDecision.failSafe(context, exit, "no report says which tests failed");
        }
        ExitCode uploaded = UploadCommand.checkAndSend(context, arguments, destination, metadata, fresh, failing);
        if (uploaded == ExitCode.INVALID_REPORT) {
            return exit == 0 ? 0 : QuarantineDecision.failSafe(context, exit, "the reports cannot be trusted to say which tests failed");
        }
        if (uploaded != ExitCode.OK) {
            context.err().println("mainstay: warning: the reports were not uploaded (see above); the exit code is the tests' outcome");
        }
        try {
            return decision.decide(context, destination, exit, failing, metadata.repo(), metadata.variant());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return QuarantineDecision.failSafe(context, exit, "interrupted");
        }
    }

    private static boolean writtenSince(Path path, Instant since) {
        try {
            return Files.getLastModifiedTime(path).compareTo(FileTime.from(since)) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Runs {@code command} in the working directory with the context's environment, its output going
     * where this process's goes; stopping this process stops it too.
     *
     * @return its exit status; {@value #CANNOT_RUN} when it cannot be started
     */
    static int execute(Context context, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(context.workingDir().toFile());
        builder.environment().clear();
        builder.environment().putAll(context.env());
        boolean ownStreams = context.out() == System.out && context.err() == System.err;
        builder.redirectInput(ProcessBuilder.Redirect.INHERIT);
        if (ownStreams) {
            builder.redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            context.err().println("mainstay: cannot run '" + command.get(0) + "': " + e.getMessage());
            return CANNOT_RUN;
        }
        Thread stopper = new Thread(() -> {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }, "mainstay-test-stopper");
        stopper.setDaemon(false);
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            List<Thread> pumps = new ArrayList<>();
            if (!ownStreams) {
                pumps.add(pump(process.getInputStream(), context.out()));
                pumps.add(pump(process.getErrorStream(), context.err()));
            }
            int exit = process.waitFor();
            for (Thread t : pumps) {
                t.join();
            }
            return exit;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            context.err().println("mainstay: interrupted; stopped the tests");
            return INTERRUPTED;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException e) {
                // The JVM is shutting down: the hook runs and stops the tests.
            }
        }
    }

    private static Thread pump(InputStream from, OutputStream to) {
        Thread t = new Thread(() -> {
            try (from) {
                from.transferTo(to);
                to.flush();
            } catch (IOException e) {
                // The child's stream closed under us: nothing more to copy.
            }
        }, "mainstay-test-output");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
