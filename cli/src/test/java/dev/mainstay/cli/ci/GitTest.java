package dev.mainstay.cli.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The git fallback, against real repositories made with the git command in a temporary folder. */
class GitTest {

    @TempDir
    Path dir;

    /** Runs git in {@code dir} with a fixed identity and no user or system configuration; returns its output. */
    static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Test", "-c", "user.email=test@example.com",
            "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + out);
        }
        return out.strip();
    }

    /** A repository in {@code dir} with one commit on {@code branch}; returns the commit's SHA. */
    static String repositoryWithOneCommit(Path dir, String branch) throws IOException, InterruptedException {
        git(dir, "init", "-q");
        git(dir, "checkout", "-q", "-b", branch);
        Files.writeString(dir.resolve("README.md"), "shop\n");
        git(dir, "add", "README.md");
        git(dir, "commit", "-q", "-m", "First commit");
        return git(dir, "rev-parse", "HEAD");
    }

    @Test
    void a_checkout_with_an_origin_remote_gives_commit_branch_and_repository() throws Exception {
        String sha = repositoryWithOneCommit(dir, "feature/cart");
        git(dir, "remote", "add", "origin", "git@github.acme.example:acme/shop.git");
        assertEquals(Map.of(Field.REPO, "acme/shop", Field.COMMIT, sha, Field.BRANCH, "feature/cart"), Git.facts(dir).known());
    }

    @Test
    void a_subfolder_of_the_checkout_is_the_same_checkout() throws Exception {
        String sha = repositoryWithOneCommit(dir, "main");
        Path sub = Files.createDirectories(dir.resolve("build/test-results"));
        assertEquals(sha, Git.facts(sub).get(Field.COMMIT));
    }

    @Test
    void a_detached_head_as_ci_checks_out_has_a_commit_but_no_branch() throws Exception {
        String sha = repositoryWithOneCommit(dir, "main");
        git(dir, "checkout", "-q", "--detach", sha);
        assertEquals(Map.of(Field.COMMIT, sha), Git.facts(dir).known());
    }

    @Test
    void the_only_remote_serves_when_there_is_no_origin() throws Exception {
        repositoryWithOneCommit(dir, "main");
        git(dir, "remote", "add", "upstream", "https://gitlab.acme.example/platform/payments/shop.git");
        assertEquals("platform/payments/shop", Git.facts(dir).get(Field.REPO));
    }

    @Test
    void a_folder_that_is_no_checkout_tells_nothing() {
        assertEquals(BuildFacts.NONE, Git.facts(dir));
    }

    @Test
    void a_repository_without_commits_tells_nothing() throws Exception {
        git(dir, "init", "-q");
        assertTrue(Git.facts(dir).known().isEmpty());
    }
}
