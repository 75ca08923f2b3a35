package dev.mainstay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {

    private final CliRun cli = CliRun.in(Path.of("."));

    @Test
    void help_lists_the_commands_and_the_exit_codes() {
        CliRun.Result r = cli.run("help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("  mainstay upload             check the reports here, then send them to the appliance in one bundle\n"), r.out());
        assertTrue(r.out().contains("  mainstay reports summarize  count each report's cases by outcome"), r.out());
        assertTrue(r.out().contains("  mainstay queue simulate     the merge queue and its baselines in virtual time"), r.out());
        assertTrue(r.out().contains("  mainstay queue enqueue      queue a pull request on its base branch's merge queue"), r.out());
        assertTrue(r.out().endsWith("""
            Exit codes:
              0  uploaded (or the dry-run bundle written); validate/summarize: every report parsed; queue enqueue/cancel/targets: done
              1  a report is invalid (found locally, or refused by the appliance with 422); flaky: a history, labels or config file is; queue simulate: the scenario file is
              2  usage error: unknown option, missing --url or token, no file matched a pattern, --xcresult off macOS
              3  the appliance could not be reached, kept failing after the retries, or answered unexpectedly
              4  the token was refused (401, 403); queue enqueue/cancel: or GitHub says its admin may not push to the repository
              5  the bundle is too large for the appliance (413)
              6  queue enqueue/cancel/targets: refused (no such repository or pull request, it cannot be queued, or the targets are invalid)

            Every other command (dev, serve, tokens, audit, keycloak) is the appliance's: ./mainstay in the repository runs it.
            """), r.out());
        assertEquals(r.out(), cli.run("--help").out());
        assertEquals(r.out(), cli.run().out());
    }

    @Test
    void a_command_help_lists_every_option() {
        CliRun.Result r = cli.run("upload", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("Usage: mainstay upload --url URL [--junit GLOB...]"), r.out());
        for (String option : new String[] {"--url URL", "--token TOKEN", "--junit GLOB...", "--bazel-bep FILE...", "--rspec FILE...",
            "--xcresult PATH...", "--repo owner/name", "--commit SHA", "--branch NAME", "--pr NUMBER", "--ci-provider NAME", "--job-name NAME",
            "--job-id ID", "--job-url URL", "--run-id ID", "--run-attempt N", "--variant NAME", "--started-at TIME", "--finished-at TIME",
            "--dry-run FILE", "--retries N", "--ca-cert FILE", "--proxy HOST:PORT", "--json"}) {
            assertTrue(r.out().contains("\n  " + option + " "), option + " in\n" + r.out());
        }
        assertEquals(r.out(), cli.run("help", "upload").out());
        assertTrue(cli.run("help", "reports", "summarize").out().startsWith("Usage: mainstay reports summarize [--json] FILES...\n"));
    }

    @Test
    void version_prints_the_cli_version() {
        CliRun.Result r = cli.run("version");
        assertEquals(0, r.code());
        assertTrue(r.out().matches("mainstay-cli \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n"), r.out());
        assertEquals(r.out(), cli.run("--version").out());
    }

    @Test
    void an_unknown_command_or_option_exits_2_and_points_to_help() {
        CliRun.Result command = cli.run("uplaod");
        assertEquals(2, command.code());
        assertEquals("mainstay: unknown command 'uplaod'\nmainstay: see 'mainstay help'\n", command.err());
        CliRun.Result option = cli.run("upload", "--ur", "https://x");
        assertEquals(2, option.code());
        assertEquals("mainstay: unknown option --ur for 'mainstay upload'; did you mean --url?\nmainstay: see 'mainstay help upload'\n",
            option.err());
    }

    @Test
    void the_public_entry_point_runs_in_process_with_the_given_environment_and_folder() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"reports", "summarize", "--json", "rspec/dorny_rspec-json.json"}, Map.of(), Corpus.ROOT,
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code);
        assertEquals("{\"file\":\"rspec/dorny_rspec-json.json\",\"format\":\"rspec\",\"cases\":3,\"passed\":1,\"failed\":1,\"errors\":0,"
            + "\"skipped\":1,\"attempts\":3}\n", out.toString(StandardCharsets.UTF_8));
    }
}
