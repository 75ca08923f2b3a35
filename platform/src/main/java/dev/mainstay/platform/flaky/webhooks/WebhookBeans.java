package dev.mainstay.platform.flaky.webhooks;

import dev.mainstay.platform.crypto.CryptoProviders;
import dev.mainstay.platform.crypto.CryptoSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

/** The webhook settings, and the providers secrets are made and signed with, as beans. */
@ApplicationScoped
class WebhookBeans {

    @Produces
    @Singleton
    WebhookSettings settings(Config config) {
        return WebhookSettings.from(config);
    }

    @Produces
    @Singleton
    WebhookSignature signature(Config config) {
        return new WebhookSignature(CryptoProviders.of(CryptoSettings.from(config).fips()));
    }
}
