package dev.mainstay.testkit;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension behind {@link MainstayDatabase}: one server per JVM, one fresh database
 * per test class, migrations applied before the class's first test.
 */
public final class PostgresExtension implements BeforeAllCallback, ParameterResolver {

    /** Environment variable with a JDBC URL of an external server to use instead of the embedded one. */
    public static final String EXTERNAL_URL_ENV = "MAINSTAY_TEST_JDBC_URL";
    /** System property that selects a Testcontainers PostgreSQL. */
    public static final String DOCKER_PROPERTY = "mainstay.test.docker";

    private static final Logger LOG = Logger.getLogger(PostgresExtension.class.getName());
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresExtension.class);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        MainstayDatabase settings = findAnnotation(testClass);
        DatabaseServer server = server(context);
        String name = databaseName(testClass);
        TestDatabase database = server.createDatabase(name);
        Flyway.configure()
            .dataSource(database.jdbcUrl(), database.user(), database.password())
            .locations(settings.migrations())
            .failOnMissingLocations(true)
            .load()
            .migrate();
        LOG.fine(() -> "Test database " + name + " on " + server.describe());
        context.getStore(NAMESPACE).put(TestDatabase.class, database);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestDatabase database = context.getStore(NAMESPACE).get(TestDatabase.class, TestDatabase.class);
        if (database == null) {
            throw new ParameterResolutionException("No test database: annotate the test class with @MainstayDatabase");
        }
        return database;
    }

    /** Selects the server kind from the environment; visible for testkit's own tests. */
    static DatabaseServer newServer(String externalUrl, boolean docker) {
        if (docker) {
            return new DockerDatabaseServer();
        }
        if (externalUrl != null && !externalUrl.isBlank()) {
            return new ExternalDatabaseServer(externalUrl);
        }
        return new EmbeddedDatabaseServer();
    }

    private static DatabaseServer server(ExtensionContext context) {
        ExtensionContext.Store root = context.getRoot().getStore(NAMESPACE);
        return root.getOrComputeIfAbsent(ServerResource.class,
            k -> new ServerResource(newServer(System.getenv(EXTERNAL_URL_ENV), Boolean.getBoolean(DOCKER_PROPERTY))),
            ServerResource.class).server();
    }

    private static MainstayDatabase findAnnotation(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            MainstayDatabase a = c.getAnnotation(MainstayDatabase.class);
            if (a != null) {
                return a;
            }
        }
        throw new IllegalStateException(testClass.getName() + " uses PostgresExtension without @MainstayDatabase");
    }

    private static String databaseName(Class<?> testClass) {
        String simple = testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        String name = "t" + ProcessHandle.current().pid() + "_" + SEQUENCE.incrementAndGet() + "_" + simple;
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    /** Closes the JVM's server once every test class has run. */
    private record ServerResource(DatabaseServer server) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            server.close();
        }
    }
}
