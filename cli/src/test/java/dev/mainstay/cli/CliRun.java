package dev.mainstay.cli;

import dev.mainstay.cli.command.Context;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the CLI in-process, as a CI job would run it: a working directory, an environment (empty
 * unless given: no CI is detected from the machine running the tests), and captured output. Waits
 * between retries are recorded, not slept; the clock moves on by each of them, as if it had been
 * slept, so that the retry budget counts them.
 */
public final class CliRun {

    /** What a run printed and returned. */
    public record Result(int code, String out, String err, List<Duration> waits) {
        /** Both streams, for assertion messages. */
        public String both() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Path workingDir;
    private final Map<String, String> env = new HashMap<>();
    private String osName = "Linux";
    private boolean interactive;

    private CliRun(Path workingDir) {
        this.workingDir = workingDir;
    }

    /** A run in {@code workingDir} with an empty environment. */
    public static CliRun in(Path workingDir) {
        return new CliRun(workingDir);
    }

    public CliRun env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public CliRun env(Map<String, String> variables) {
        env.putAll(variables);
        return this;
    }

    public CliRun os(String name) {
        osName = name;
        return this;
    }

    public CliRun interactive() {
        interactive = true;
        return this;
    }

    public Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
        SleptClock clock = new SleptClock();
        Context context = new Context(env, workingDir, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), interactive, osName, clock, wait -> {
                waits.add(wait);
                clock.slept(wait);
            });
        int code = Main.run(context, args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), List.copyOf(waits));
    }

    /** The system clock in UTC, ahead by the waits recorded so far. */
    private static final class SleptClock extends Clock {
        private final AtomicLong sleptMillis = new AtomicLong();

        void slept(Duration wait) {
            sleptMillis.addAndGet(wait.toMillis());
        }

        @Override
        public Instant instant() {
            return Instant.now().plusMillis(sleptMillis.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            // The CLI reads instants only; a zone changes none of them.
            return this;
        }
    }
}
