package dev.mainstay.platform.queue.store;

import dev.mainstay.platform.crypto.CryptoProviders;
import dev.mainstay.platform.crypto.CryptoSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

/** The GitHub webhook settings, and the providers signatures are checked with, as beans. */
@ApplicationScoped
class GitHubBeans {

    @Produces
    @Singleton
    GitHubWebhookSettings settings(Config config) {
        return GitHubWebhookSettings.from(config);
    }

    @Produces
    @Singleton
    GitHubSignature signature(Config config) {
        return new GitHubSignature(CryptoProviders.of(CryptoSettings.from(config).fips()));
    }
}
