package dev.mainstay.platform.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static Config config(Map<String, String> values) {
        return ApplianceConfig.build(ApplianceConfig.source("test", values, 900));
    }

    @Test
    void defaults_listen_on_8443_with_text_logs() {
        ApplianceSettings s = ApplianceSettings.from(config(Map.of()));
        assertEquals(8443, s.port());
        assertEquals(ApplianceSettings.LogFormat.TEXT, s.logFormat());
        assertTrue(s.redirectPort().isEmpty(), "no plain HTTP port unless asked for");
        assertFalse(s.behindTlsProxy());
    }

    @Test
    void a_bad_value_is_refused_naming_its_key() {
        ConfigurationException port = assertThrows(ConfigurationException.class,
            () -> ApplianceSettings.from(config(Map.of("mainstay.http.port", "84433"))));
        assertEquals("mainstay.http.port must be a port between 0 and 65535, not 84433", port.getMessage());
        ConfigurationException format = assertThrows(ConfigurationException.class,
            () -> ApplianceSettings.from(config(Map.of("mainstay.log.format", "xml"))));
        assertEquals("mainstay.log.format must be 'text' or 'json', not 'xml'", format.getMessage());
        ConfigurationException proxy = assertThrows(ConfigurationException.class,
            () -> ApplianceSettings.from(config(Map.of("mainstay.http.trusted-proxies", "10.0.0.0/8, proxy.internal"))));
        assertEquals("mainstay.http.trusted-proxies: 'proxy.internal' is not an IP address or CIDR block", proxy.getMessage());
    }

    @Test
    void production_needs_tls_material_or_a_trusted_tls_proxy_and_a_database() {
        List<String> none = ApplianceSettings.from(config(Map.of())).problemsForProduction();
        assertEquals(3, none.size(), none.toString());
        assertTrue(none.get(0).startsWith("mainstay.tls.certificate is not set"), none.get(0));
        assertTrue(none.get(2).startsWith("mainstay.db.url is not set"), none.get(2));

        List<String> proxyWithoutTrust = ApplianceSettings.from(config(Map.of(
            "mainstay.http.behind-tls-proxy", "true", "mainstay.db.url", "jdbc:postgresql://db/mainstay"))).problemsForProduction();
        assertEquals(List.of("mainstay.http.trusted-proxies is not set: with mainstay.http.behind-tls-proxy=true, name the proxy"
            + " addresses (CIDR) whose X-Forwarded-Proto header Mainstay may believe"), proxyWithoutTrust);

        List<String> missingFile = ApplianceSettings.from(config(Map.of(
            "mainstay.tls.certificate", "/nonexistent/cert.pem", "mainstay.tls.private-key", "/nonexistent/key.pem",
            "mainstay.db.url", "jdbc:postgresql://db/mainstay"))).problemsForProduction();
        assertEquals("mainstay.tls.certificate names " + Path.of("/nonexistent/cert.pem") + ", which does not exist or cannot be read",
            missingFile.get(0));
    }

    @Test
    void trusted_proxies_match_by_cidr_block() throws Exception {
        TrustedProxies proxies = TrustedProxies.parse("10.1.0.0/16, 192.168.4.7, fd00::/8");
        assertTrue(proxies.trusts(InetAddress.getByName("10.1.200.3")));
        assertFalse(proxies.trusts(InetAddress.getByName("10.2.0.1")));
        assertTrue(proxies.trusts(InetAddress.getByName("192.168.4.7")));
        assertFalse(proxies.trusts(InetAddress.getByName("192.168.4.8")));
        assertTrue(proxies.trusts(InetAddress.getByName("fd12::1")));
        assertFalse(proxies.trusts(InetAddress.getByName("127.0.0.1")));
        assertTrue(TrustedProxies.parse(" ").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("10.0.0.0/33"));
    }

    @Test
    void the_command_line_names_what_is_wrong() {
        assertEquals(new CommandLine.Dev(Path.of("/srv/dev")), CommandLine.parse(List.of("dev", "--data-dir", "/srv/dev")));
        assertEquals(new CommandLine.Dev(Path.of(".mainstay-dev")), CommandLine.parse(List.of("dev")));
        assertEquals("serve needs --config FILE",
            assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(List.of("serve"))).getMessage());
        assertEquals("unknown option '--port' for dev",
            assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(List.of("dev", "--port", "1"))).getMessage());
        assertEquals("--data-dir needs a value",
            assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(List.of("dev", "--data-dir"))).getMessage());
    }

    @Test
    void the_audit_commands_need_what_they_check_against() {
        assertEquals(new CommandLine.AuditVerify(java.util.Optional.empty(), java.util.Optional.of(Path.of("t.jsonl")),
            java.util.Optional.of(Path.of("k.pem"))), CommandLine.parse(List.of("audit", "verify", "--file", "t.jsonl", "--public-key", "k.pem")));
        assertEquals("audit verify --file needs --public-key FILE: an export is checked against a key you hold",
            assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(List.of("audit", "verify", "--file", "t.jsonl")))
                .getMessage());
        assertEquals("audit verify needs one of --jdbc-url URL or --file EXPORT.jsonl",
            assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(List.of("audit", "verify"))).getMessage());

        CommandLine.AuditExport export = (CommandLine.AuditExport) CommandLine.parse(List.of("audit", "export", "--config", "m.yaml",
            "--from", "2026-11-01", "--to", "2026-11-30", "--out", "nov.jsonl"));
        assertEquals(java.time.Instant.parse("2026-11-01T00:00:00Z"), export.from());
        assertEquals(java.time.Instant.parse("2026-11-30T23:59:59.999999Z"), export.to(), "a --to date includes that whole day");
        assertEquals("--to 2026-10-01 is before --from 2026-11-01", assertThrows(CommandLine.UsageException.class,
            () -> CommandLine.parse(List.of("audit", "export", "--config", "m.yaml", "--from", "2026-11-01", "--to", "2026-10-01",
                "--out", "x"))).getMessage());
        assertTrue(assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(List.of("audit", "export", "--config", "m",
            "--from", "last week", "--to", "2026-10-01", "--out", "x"))).getMessage().startsWith("--from 'last week' is neither"));
    }

    @Test
    void operator_commands_take_a_config_file_or_a_dev_data_directory() {
        CommandLine.AuditExport export = (CommandLine.AuditExport) CommandLine.parse(List.of("audit", "export", "--data-dir", "d",
            "--from", "2026-11-01", "--to", "2026-11-30", "--out", "nov.jsonl"));
        assertEquals(new CommandLine.DataDir(Path.of("d")), export.target());
        assertEquals(new CommandLine.AuditPublicKey(new CommandLine.ConfigFile(Path.of("m.yaml"))),
            CommandLine.parse(List.of("audit", "public-key", "--config", "m.yaml")));
        assertEquals("audit cut needs one of --config FILE (an installation) or --data-dir DIR (./mainstay dev's)",
            assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(List.of("audit", "cut", "--config", "m.yaml",
                "--data-dir", "d", "--before", "2026-01-01"))).getMessage(), "both at once is refused, not one silently preferred");
    }

    @Test
    void tokens_create_takes_org_name_scopes_and_a_lifetime_in_days() {
        assertEquals(new CommandLine.TokensCreate(new CommandLine.DataDir(Path.of("d")), "acme", "ci", List.of("uploads:write",
                "queue:write"), java.time.Duration.ofDays(30)),
            CommandLine.parse(List.of("tokens", "create", "--data-dir", "d", "--org", "acme", "--name", "ci", "--scopes",
                "uploads:write,queue:write", "--expires", "30d")));
        assertEquals(java.time.Duration.ofDays(90), ((CommandLine.TokensCreate) CommandLine.parse(List.of("tokens", "create",
            "--config", "m.yaml", "--org", "acme", "--name", "ci", "--scopes", "uploads:write"))).lifetime(), "90 days by default");
        assertEquals("tokens create needs --scopes", assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(
            List.of("tokens", "create", "--config", "m.yaml", "--org", "acme", "--name", "ci"))).getMessage());
        assertEquals("--expires 'next year' is not a number of days, e.g. 90d", assertThrows(CommandLine.UsageException.class,
            () -> CommandLine.parse(List.of("tokens", "create", "--config", "m.yaml", "--org", "acme", "--name", "ci", "--scopes",
                "uploads:write", "--expires", "next year"))).getMessage());
    }
}
