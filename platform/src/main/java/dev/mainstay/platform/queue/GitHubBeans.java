package dev.mainstay.platform.queue;

import dev.mainstay.platform.crypto.CryptoProviders;
import dev.mainstay.platform.crypto.CryptoSettings;
import dev.mainstay.platform.queue.forge.Forge;
import dev.mainstay.platform.queue.forge.Forges;
import dev.mainstay.platform.queue.forge.github.GitHubApp;
import dev.mainstay.platform.queue.forge.github.GitHubSettings;
import dev.mainstay.platform.queue.inbound.GitHubSignature;
import dev.mainstay.platform.queue.inbound.GitHubWebhookSettings;
import dev.mainstay.platform.queue.worker.QueueConfig;
import dev.mainstay.platform.queue.worker.QueueDefaults;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.Config;

/** The GitHub webhook settings, the providers signatures are checked with, and the GitHub App's repositories, as beans. */
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

    @Produces
    @Singleton
    QueueDefaults queueDefaults(Config config) {
        return QueueDefaults.from(config);
    }

    /** The settings of every merge queue whose repository branch has none of its own. */
    @Produces
    @Singleton
    QueueConfig queueConfig(QueueDefaults defaults) {
        return QueueConfig.of(defaults.settings());
    }

    /** Each repository's code host through the configured GitHub App; none when no App is configured. */
    @Produces
    @Singleton
    Forges forges(Config config, Clock clock) {
        GitHubSettings settings = GitHubSettings.from(config);
        if (!settings.configured()) {
            return Forges.NONE;
        }
        GitHubApp app = new GitHubApp(settings, clock);
        Map<String, Forge> byRepository = new ConcurrentHashMap<>();
        return repository -> {
            int slash = repository.indexOf('/');
            if (slash <= 0 || slash == repository.length() - 1) {
                return Optional.empty();
            }
            return Optional.of(byRepository.computeIfAbsent(repository,
                r -> app.forRepository(r.substring(0, slash), r.substring(slash + 1))));
        };
    }
}
