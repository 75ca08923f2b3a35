package dev.mainstay.platform.queue.web;

import dev.mainstay.platform.queue.forge.github.GitHubSettings;
import dev.mainstay.platform.queue.inbound.GitHubWebhookSettings;
import java.util.List;

/**
 * Whether GitHub can reach the merge queues, as the Merge queues page says it: without a GitHub App
 * (the same test as the forges', {@link GitHubSettings#configured()}) Mainstay can neither hear of
 * pull requests nor merge them; without the App's webhook secret it refuses GitHub's deliveries, so
 * comments and labels queue nothing.
 *
 * @param app      whether a GitHub App is configured
 * @param webhooks whether GitHub's webhook deliveries are taken
 */
public record GitHubSetup(boolean app, boolean webhooks) {

    /** Where the settings are explained: the appliance serves no docs, so the page names the file and section. */
    public static final String DOCS = "docs/configuration.md, section “GitHub App (merge queue)”";

    /** The settings that make a GitHub App, in the order to set them. */
    public static final List<String> APP_KEYS = List.of(GitHubSettings.APP_ID, GitHubSettings.PRIVATE_KEY, GitHubWebhookSettings.SECRET,
        GitHubSettings.API_URL);

    /** The setup {@code app} and {@code webhooks} describe. */
    public static GitHubSetup of(GitHubSettings app, GitHubWebhookSettings webhooks) {
        return new GitHubSetup(app.configured(), webhooks.secret().isPresent());
    }

    /** The webhook secret's key, for the page. */
    public String webhookSecretKey() {
        return GitHubWebhookSettings.SECRET;
    }
}
