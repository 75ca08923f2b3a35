package dev.mainstay.platform.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while PostgreSQL answers: a load balancer stops sending work when it does not. */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    private final DataSource dataSource;

    @Inject
    DatabaseReadiness(@Named(ApplianceConfig.DATA_SOURCE) DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("database");
        try (Connection c = dataSource.getConnection()) {
            boolean valid = c.isValid(2);
            return response.status(valid)
                .withData("product", c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseProductVersion())
                .build();
        } catch (SQLException e) {
            return response.down().withData("error", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()).build();
        }
    }
}
