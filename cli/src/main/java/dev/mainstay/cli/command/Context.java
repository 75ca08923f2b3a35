package dev.mainstay.cli.command;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What a command may see of the world: the environment, the working directory, its two output
 * streams, whether a person watches a terminal, the operating system, the clock and the way it
 * waits. {@code Main.main} builds it from the process; tests build their own.
 *
 * @param env         the environment variables (CI detection, {@code MAINSTAY_TOKEN}, proxies)
 * @param workingDir  where relative paths and patterns start, and where {@code git} runs
 * @param out         results: summaries, JSON
 * @param err         messages and progress
 * @param interactive true when a terminal shows {@code err}: progress is redrawn in place
 * @param osName      the {@code os.name} (xcresult bundles are read on macOS only)
 * @param clock       for {@code Retry-After} dates and elapsed times
 * @param sleeper     waits between retries
 */
public record Context(Map<String, String> env, Path workingDir, PrintStream out, PrintStream err, boolean interactive, String osName,
                      Clock clock, Sleeper sleeper) {

    public Context {
        env = Map.copyOf(env);
        workingDir = workingDir.toAbsolutePath().normalize();
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(osName, "osName");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(sleeper, "sleeper");
    }

    /** The variable {@code name}, or empty when it is unset or blank. */
    public String env(String name) {
        String value = env.get(name);
        return value == null ? "" : value.strip();
    }

    /** {@code path} resolved against the working directory. */
    public Path resolve(String path) {
        return workingDir.resolve(path).normalize();
    }

    /** True on macOS. */
    public boolean isMac() {
        return osName.toLowerCase(java.util.Locale.ROOT).startsWith("mac");
    }
}
