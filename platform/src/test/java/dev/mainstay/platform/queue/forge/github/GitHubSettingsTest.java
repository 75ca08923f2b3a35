package dev.mainstay.platform.queue.forge.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.mainstay.platform.app.ApplianceConfig;
import dev.mainstay.testkit.TempDirs;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/** What an operator is told about the GitHub App's settings before the appliance starts. */
class GitHubSettingsTest {

    private static Config config(Map<String, String> values) {
        return ApplianceConfig.build(ApplianceConfig.source("test", values, 900));
    }

    @Test
    void without_an_app_the_merge_queue_is_off_and_nothing_is_wrong() {
        Config config = config(Map.of());
        GitHubSettings settings = GitHubSettings.from(config);

        assertFalse(settings.configured());
        assertEquals(GitHubSettings.GITHUB_COM, settings.apiUrl());
        assertEquals(List.of(), settings.problems(config));
        assertEquals("https://github.com", settings.webUrl());
    }

    @Test
    void a_ghes_url_id_and_key_file_are_accepted() throws Exception {
        Path key = Files.writeString(TempDirs.create("github-key").resolve("app.pem"), "-----BEGIN PRIVATE KEY-----\n");
        Config config = config(Map.of(GitHubSettings.API_URL, "https://github.example.com/api/v3/",
            GitHubSettings.APP_ID, "1234", GitHubSettings.PRIVATE_KEY, key.toString()));
        GitHubSettings settings = GitHubSettings.from(config);

        assertEquals(URI.create("https://github.example.com/api/v3"), settings.apiUrl(), "a trailing slash is dropped");
        assertEquals(1234, settings.appId());
        assertEquals(List.of(), settings.problems(config));
        assertEquals("https://github.example.com", settings.webUrl(), "people browse the server's root");
    }

    @Test
    void each_bad_setting_is_named_with_what_it_should_be() {
        Config config = config(Map.of(GitHubSettings.API_URL, "http://github.example.com/api/v3", GitHubSettings.APP_ID, "my-app",
            GitHubSettings.CA, "/nonexistent/ca.pem"));

        assertEquals(List.of(
            "mainstay.github.api-url must be an https:// URL, e.g. https://api.github.com or https://github.example.com/api/v3,"
                + " not 'http://github.example.com/api/v3'",
            "mainstay.github.app-id must be the GitHub App's numeric id (its settings page shows it), not 'my-app'",
            "mainstay.github.private-key must name the PEM file of the GitHub App's private key",
            "mainstay.github.ca: /nonexistent/ca.pem cannot be read as PEM certificates: /nonexistent/ca.pem"),
            GitHubSettings.from(config).problems(config));
    }
}
