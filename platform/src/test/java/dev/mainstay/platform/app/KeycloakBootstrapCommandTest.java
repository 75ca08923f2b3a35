package dev.mainstay.platform.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.testkit.KeycloakFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./mainstay keycloak bootstrap}: its command line, its configuration checks and its exit codes. */
class KeycloakBootstrapCommandTest {

    @TempDir
    Path dir;

    @Test
    void the_command_line_takes_a_config_file_and_an_optional_check() {
        assertEquals(new CommandLine.KeycloakBootstrap(new CommandLine.ConfigFile(Path.of("m.yaml")), true),
            CommandLine.parse(List.of("keycloak", "bootstrap", "--check", "--config", "m.yaml")));
        assertEquals(new CommandLine.KeycloakBootstrap(new CommandLine.ConfigFile(Path.of("m.yaml")), false),
            CommandLine.parse(List.of("keycloak", "bootstrap", "--config=m.yaml")));
        assertEquals(new CommandLine.KeycloakBootstrap(new CommandLine.DataDir(Path.of(".mainstay-dev")), false),
            CommandLine.parse(List.of("keycloak", "bootstrap", "--data-dir", ".mainstay-dev")));
        assertEquals("keycloak bootstrap needs one of --config FILE (an installation) or --data-dir DIR (./mainstay dev's)", assertThrows(CommandLine.UsageException.class,
            () -> CommandLine.parse(List.of("keycloak", "bootstrap"))).getMessage());
        assertEquals("keycloak needs a subcommand: keycloak bootstrap --config FILE [--check]",
            assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(List.of("keycloak", "sync"))).getMessage());
    }

    @Test
    void without_administrator_credentials_the_bootstrap_names_the_keys_to_set() throws IOException {
        Path config = write("mainstay.oidc.issuer=https://sso.example.com/realms/mainstay\n");
        ConfigurationException e = assertThrows(ConfigurationException.class,
            () -> Main.bootstrapKeycloak(new CommandLine.KeycloakBootstrap(new CommandLine.ConfigFile(config), false)));
        assertTrue(e.getMessage().contains("mainstay.http.public-url is not set"), e.getMessage());
        assertTrue(e.getMessage().contains("mainstay.oidc.client-secret is not set"), e.getMessage());
        assertTrue(e.getMessage().contains("no Keycloak administrator is configured: set mainstay.keycloak.admin.username"),
            e.getMessage());
    }

    @Test
    void check_exits_4_until_the_bootstrap_has_run_and_0_after() throws IOException {
        KeycloakFixture keycloak = KeycloakFixture.shared();
        String realm = "command-" + UUID.randomUUID().toString().substring(0, 8);
        Path config = write(String.join("\n",
            "mainstay.oidc.issuer=" + keycloak.baseUri() + "/realms/" + realm,
            "mainstay.oidc.client-secret=command-test-secret-0123456789abcdef",
            "mainstay.http.public-url=https://mainstay.command.test",
            "mainstay.keycloak.admin.username=" + KeycloakFixture.ADMIN_USERNAME,
            "mainstay.keycloak.admin.password=" + KeycloakFixture.ADMIN_PASSWORD, ""));
        try {
            assertEquals(Main.EXIT_DRIFT, run(config, true).exit(), "an absent realm is a change to make");
            Outcome applied = run(config, false);
            assertEquals(0, applied.exit());
            assertTrue(applied.output().contains("  changed realm " + realm + ": create it"), applied.output());
            assertTrue(applied.output().contains("change(s) made. Running the bootstrap again changes nothing."), applied.output());
            Outcome checked = run(config, true);
            assertEquals(0, checked.exit(), checked.output());
            assertTrue(checked.output().contains("The realm already has Mainstay's settings; nothing changed."), checked.output());
        } finally {
            keycloak.admin().forRealm(realm).deleteRealm();
        }
    }

    private record Outcome(int exit, String output) {
    }

    private Outcome run(Path config, boolean check) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.bootstrapKeycloak(new CommandLine.KeycloakBootstrap(new CommandLine.ConfigFile(config), check));
            return new Outcome(exit, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    private Path write(String properties) throws IOException {
        Path file = dir.resolve("mainstay.properties");
        Files.writeString(file, properties);
        return file;
    }
}
