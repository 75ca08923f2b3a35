package dev.mainstay.platform.auditing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

/** The audit settings as a bean. */
@ApplicationScoped
class AuditBeans {

    @Produces
    @Singleton
    AuditSettings settings(Config config) {
        return AuditSettings.from(config);
    }
}
