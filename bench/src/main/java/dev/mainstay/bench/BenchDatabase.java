package dev.mainstay.bench;

import dev.mainstay.devservices.EmbeddedPostgresServer;
import dev.mainstay.platform.crypto.CryptoProviders;
import dev.mainstay.platform.crypto.CryptoSettings;
import dev.mainstay.platform.crypto.DataKeys;
import dev.mainstay.platform.crypto.FieldCipher;
import dev.mainstay.platform.crypto.KekSource;
import dev.mainstay.testkit.TempDirs;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import org.flywaydb.core.Flyway;

/** An embedded PostgreSQL with Mainstay's schema, for benchmarks that need the real database. */
final class BenchDatabase implements AutoCloseable {

    private final EmbeddedPostgresServer server;
    private final String url;

    BenchDatabase() {
        this(TempDirs.create("mainstay-bench-pg-"));
    }

    /** On the data in {@code directory}, kept after close: a second run finds what the first wrote, migrated to the current version. */
    BenchDatabase(Path directory) {
        server = EmbeddedPostgresServer.builder().persistentDataDirectory(directory).port(0).start();
        server.createDatabaseIfAbsent("bench");
        url = server.jdbcUrl("bench");
        Flyway.configure().dataSource(url, EmbeddedPostgresServer.SUPERUSER, "").locations("classpath:db/migration").load().migrate();
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, EmbeddedPostgresServer.SUPERUSER, "");
    }

    /**
     * A FieldCipher on the standard providers whose data keys are kept in this database, wrapped by
     * a key-encryption key made for it in a new file.
     */
    FieldCipher fieldCipher() {
        CryptoProviders providers = CryptoProviders.standard();
        Path kek = TempDirs.create("mainstay-bench-kek-").resolve("kek.key");
        KekSource.createIfMissing(kek, providers);
        CryptoSettings settings = new CryptoSettings(false, Optional.of(kek), Optional.empty(), Optional.empty(), Optional.empty(),
            "mainstay-kek", Optional.empty(), Optional.empty());
        return new FieldCipher(new DataKeys(this::connect, KekSource.load(settings, providers), providers, Clock.systemUTC()));
    }

    @Override
    public void close() {
        server.close();
    }
}
