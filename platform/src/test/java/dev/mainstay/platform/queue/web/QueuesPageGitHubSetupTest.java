package dev.mainstay.platform.queue.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.platform.queue.forge.github.GitHubSettings;
import dev.mainstay.platform.queue.inbound.GitHubWebhookSettings;
import dev.mainstay.platform.web.PageContext;
import dev.mainstay.platform.web.Templates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Merge queues page of an appliance without a GitHub App: it says so and names the settings to
 * set and where they are explained, rather than an empty list that waits for queues that cannot
 * start. The shared test appliance has a GitHub App (the simulator's), and starting a second one
 * without it costs minutes of two shared cores, so this renders the page's real template with the
 * setup read from the same settings records the appliance reads ({@link QueueSettingsTest} checks
 * the appliance with an App shows no such notice).
 */
class QueuesPageGitHubSetupTest {

    private static final GitHubSettings NO_APP = new GitHubSettings(GitHubSettings.GITHUB_COM, 0, Optional.empty(), Optional.empty());
    private static final GitHubSettings APP = new GitHubSettings(GitHubSettings.GITHUB_COM, 42, Optional.of(Path.of("app.pem")),
        Optional.empty());

    @Test
    void without_a_github_app_the_page_names_the_settings_to_set_and_the_section_that_explains_them() {
        String page = render(GitHubSetup.of(NO_APP, new GitHubWebhookSettings(Optional.empty(), 1024)));

        assertTrue(page.contains("id=\"github-setup\""), page);
        assertTrue(page.contains("No GitHub App is configured</strong>, so no merge queue can start"), page);
        assertTrue(page.contains("<code>mainstay.github.app-id</code>, <code>mainstay.github.private-key</code>, "
            + "<code>mainstay.github.webhook-secret</code>, <code>mainstay.github.api-url</code>"), page);
        assertTrue(page.contains("docs/configuration.md, section “GitHub App (merge queue)”"), page);
    }

    @Test
    void the_section_the_page_names_is_in_the_configuration_reference_with_every_setting_it_names() throws Exception {
        String reference = Files.readString(Path.of("..", "docs", "configuration.md"));
        int section = reference.indexOf("\n## GitHub App (merge queue)\n");
        assertTrue(section >= 0, "docs/configuration.md has the section the page names");
        String text = reference.substring(section, reference.indexOf("\n## ", section + 1));
        for (String key : GitHubSetup.APP_KEYS) {
            assertTrue(text.contains("`" + key + "`"), key + " is explained in the section");
        }
    }

    @Test
    void with_an_app_but_no_webhook_secret_the_page_says_comments_and_labels_queue_nothing() {
        String page = render(GitHubSetup.of(APP, new GitHubWebhookSettings(Optional.empty(), 1024)));

        assertFalse(page.contains("No GitHub App is configured"), page);
        assertTrue(page.contains("The GitHub App's webhook secret is not set</strong> (<code>mainstay.github.webhook-secret</code>)"), page);
    }

    @Test
    void with_an_app_and_its_webhook_secret_the_page_has_no_setup_notice() {
        String page = render(GitHubSetup.of(APP, new GitHubWebhookSettings(Optional.of("0123456789abcdef0123"), 1024)));

        assertFalse(page.contains("github-setup"), page);
        assertEquals(new GitHubSetup(true, true), GitHubSetup.of(APP, new GitHubWebhookSettings(Optional.of("x".repeat(16)), 1024)));
    }

    private static String render(GitHubSetup setup) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("page", new PageContext("Merge queues of acme", Optional.empty(), "", List.of(), "/orgs/acme/queues", "/static/test",
            "test"));
        model.put("org", "acme");
        model.put("owners", List.of("acme"));
        model.put("queues", List.of());
        model.put("setup", setup);
        return new Templates().render("queue/queues.jte", model);
    }
}
