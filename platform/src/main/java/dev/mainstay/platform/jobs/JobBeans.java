package dev.mainstay.platform.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

/** The job settings as a bean. */
@ApplicationScoped
class JobBeans {

    @Produces
    @Singleton
    JobSettings settings(Config config) {
        return JobSettings.from(config);
    }
}
