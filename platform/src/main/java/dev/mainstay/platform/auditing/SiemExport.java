package dev.mainstay.platform.auditing;

import dev.mainstay.audit.SiemExporter;
import dev.mainstay.audit.SiemSink;
import dev.mainstay.platform.jobs.work.BackgroundThread;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.Config;

/**
 * Delivers the audit trail to the configured SIEM sinks every {@code mainstay.audit.siem.interval},
 * at least once, each from its own cursor (see {@link SiemExporter}). A sink that fails is tried
 * again at the next interval from where it stopped; the others carry on.
 */
@ApplicationScoped
public class SiemExport {

    static final int BATCH = 500;

    private static final Logger LOG = Logger.getLogger(SiemExport.class.getName());

    private final DataSource dataSource;
    private final SiemSettings settings;
    private final Clock clock;
    private List<SiemSink> sinks = List.of();
    private BackgroundThread background;

    @Inject
    SiemExport(@Named("mainstay") DataSource dataSource, Config config, Clock clock) {
        this.dataSource = dataSource;
        this.settings = SiemSettings.from(config);
        this.clock = clock;
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        sinks = settings.sinks();
        if (sinks.isEmpty()) {
            return;
        }
        LOG.info(() -> "Audit trail delivered to " + sinks.stream().map(SiemSink::name).toList() + " every " + settings.interval());
        background = new BackgroundThread("mainstay-siem-export", settings.interval(), settings.interval(), LOG,
            "deliver the audit trail", this::deliverQuietly);
        background.start();
    }

    private void deliverQuietly() {
        for (SiemSink sink : sinks) {
            try {
                int delivered;
                do {
                    try (Connection c = dataSource.getConnection()) {
                        c.setAutoCommit(false);
                        delivered = SiemExporter.run(c, sink, BATCH, clock.instant());
                    }
                } while (delivered == BATCH);
            } catch (SQLException | IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "could not deliver the audit trail to " + sink.name() + "; retrying at the next interval: "
                    + e.getMessage(), e);
            }
        }
    }

    @PreDestroy
    void stop() {
        if (background != null) {
            background.stop();
        }
        for (SiemSink sink : sinks) {
            try {
                sink.close();
            } catch (IOException e) {
                LOG.log(Level.FINE, "closing " + sink.name(), e);
            }
        }
    }
}
