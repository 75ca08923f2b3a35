package dev.mainstay.cli.ci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What the checkout in the working directory says about the build: its commit, its branch and
 * the {@code owner/name} of its {@code origin} remote. Asked only for what neither the flags nor
 * the CI provider told. No git, or no checkout, leaves everything unknown.
 */
public final class Git {

    private Git() {
    }

    /** The commit, branch and repository of the checkout at {@code dir}, each when git knows it. */
    public static BuildFacts facts(Path dir) {
        BuildFacts facts = BuildFacts.NONE;
        Optional<String> commit = run(dir, "rev-parse", "--verify", "-q", "HEAD");
        if (commit.isEmpty()) {
            return facts;
        }
        facts = facts.with(Field.COMMIT, commit.get());
        // Empty on a detached HEAD, as CI systems often check out: the provider's variables say the branch.
        facts = facts.with(Field.BRANCH, run(dir, "symbolic-ref", "-q", "--short", "HEAD").orElse(""));
        Optional<String> remote = run(dir, "config", "--get", "remote.origin.url");
        if (remote.isEmpty()) {
            // No origin: the only remote, if there is exactly one.
            List<String> remotes = run(dir, "remote").map(r -> List.of(r.split("\\s+"))).orElse(List.of());
            if (remotes.size() == 1) {
                remote = run(dir, "config", "--get", "remote." + remotes.get(0) + ".url");
            }
        }
        return facts.with(Field.REPO, remote.flatMap(RepoSlug::fromRemote).orElse(""));
    }

    /** The trimmed output of {@code git ARGS} in {@code dir}, or empty when it fails, prints nothing or git is missing. */
    private static Optional<String> run(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return Optional.empty();
        }
        try (InputStream out = process.getInputStream()) {
            process.getOutputStream().close();
            String text = new String(out.readNBytes(64 << 10), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return process.exitValue() == 0 && !text.isEmpty() ? Optional.of(text) : Optional.empty();
        } catch (IOException e) {
            process.destroyForcibly();
            return Optional.empty();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
