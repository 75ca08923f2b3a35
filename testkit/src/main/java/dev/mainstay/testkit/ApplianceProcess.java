package dev.mainstay.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Mainstay appliance as a real child JVM, started from the test's own class path exactly as
 * {@code ./mainstay} starts it, so tests see what users see: its console output, its exit code,
 * its behaviour across restarts and after {@code kill -9}.
 */
public final class ApplianceProcess implements AutoCloseable {

    /** The launcher's main class; named, not linked, because testkit never depends on platform. */
    public static final String MAIN_CLASS = "dev.mainstay.platform.app.Main";

    /** The line the appliance logs once it serves requests. */
    private static final Pattern READY = Pattern.compile("Mainstay ready at (\\S+) in (\\d+) ms");

    private final Process process;
    private final Path log;

    private ApplianceProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts the appliance with {@code args} (e.g. {@code dev --data-dir D}) and waits until it
     * reports ready.
     *
     * @throws IllegalStateException if it exits or is not ready within {@code timeout}; the message carries its output
     */
    public static ApplianceProcess startAndAwaitReady(Path log, Map<String, String> systemProperties, Duration timeout,
                                                      String... args) {
        return startAndAwaitReady(log, systemProperties, Map.of(), timeout, args);
    }

    /** As {@link #startAndAwaitReady(Path, Map, Duration, String...)}, with extra environment variables. */
    public static ApplianceProcess startAndAwaitReady(Path log, Map<String, String> systemProperties,
                                                      Map<String, String> environment, Duration timeout, String... args) {
        ApplianceProcess appliance = launch(log, systemProperties, environment, args);
        appliance.awaitReady(timeout);
        return appliance;
    }

    /**
     * Runs the appliance with {@code args} until it exits by itself, for commands that fail fast.
     *
     * @return the exit code and everything it printed
     */
    public static Completed runToCompletion(Path log, Map<String, String> systemProperties, Duration timeout, String... args) {
        ApplianceProcess appliance = launch(log, systemProperties, Map.of(), args);
        int code = appliance.waitForExit(timeout);
        return new Completed(code, appliance.output());
    }

    /** Starts the appliance without waiting; prefer {@link #startAndAwaitReady}. */
    public static ApplianceProcess launch(Path log, Map<String, String> systemProperties, Map<String, String> environment,
                                          String... args) {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-Xmx512m");
        new LinkedHashMap<>(systemProperties).forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MAIN_CLASS);
        command.addAll(List.of(args));
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            Process process = builder
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
            return new ApplianceProcess(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + command, e);
        }
    }

    /** Waits until the ready line appears; fails with the output if the process exits first. */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (readyLine().isPresent()) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("Mainstay exited with " + process.exitValue() + " before it was ready:\n" + output());
            }
            sleep(100);
        }
        throw new IllegalStateException("Mainstay was not ready within " + timeout + ":\n" + output());
    }

    /** The URL the appliance reported ready at, e.g. {@code https://localhost:8443}. */
    public URI baseUri() {
        return URI.create(readyLine().orElseThrow(() -> new IllegalStateException("not ready:\n" + output())).group(1));
    }

    /** The time from JVM start to ready that the appliance logged. */
    public Duration reportedStartup() {
        return Duration.ofMillis(Long.parseLong(readyLine().orElseThrow().group(2)));
    }

    /** Everything the process printed so far (stdout and stderr). */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(output unavailable: " + e + ")";
        }
    }

    /** Whether the process still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The operating-system process id. */
    public long pid() {
        return process.pid();
    }

    /** Asks the appliance to shut down (SIGTERM) and waits for it; returns its exit code. */
    public int stop(Duration timeout) {
        process.destroy();
        return waitForExit(timeout);
    }

    /** Kills the appliance abruptly (SIGKILL), as a crash or {@code kill -9} would, and waits for it to be gone. */
    public void kill() {
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(30));
    }

    /** Waits for the process to end by itself; returns its exit code. */
    public int waitForExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Mainstay did not exit within " + timeout + ":\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops the appliance if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            stop(Duration.ofSeconds(30));
        }
    }

    private Optional<Matcher> readyLine() {
        Matcher m = READY.matcher(output());
        return m.find() ? Optional.of(m) : Optional.empty();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A finished run: how it ended and what it printed. */
    public record Completed(int exitCode, String output) {
    }
}
