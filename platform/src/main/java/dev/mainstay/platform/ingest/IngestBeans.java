package dev.mainstay.platform.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

/** The upload settings as a bean. */
@ApplicationScoped
class IngestBeans {

    @Produces
    @Singleton
    UploadSettings settings(Config config) {
        return UploadSettings.from(config);
    }
}
