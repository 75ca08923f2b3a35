package dev.mainstay.platform.app;

import dev.mainstay.platform.crypto.CryptoProviders;
import dev.mainstay.platform.crypto.CryptoSettings;
import dev.mainstay.platform.crypto.DataKeys;
import dev.mainstay.platform.crypto.EncryptedColumns;
import dev.mainstay.platform.crypto.FieldCipher;
import dev.mainstay.platform.crypto.KekSource;
import dev.mainstay.platform.crypto.KeyEncryptionKey;
import dev.mainstay.platform.crypto.KeyMaterialException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.Config;

/**
 * Field encryption's place in startup and in CDI: the provider mode is fixed before any
 * BouncyCastle class loads, the key-encryption key is loaded and checked against the stored
 * data keys before the server starts (a wrong or unreadable KEK stops the start, naming what is
 * wrong), and {@link DataKeys} and {@link FieldCipher} are beans for the features.
 */
@ApplicationScoped
class FieldEncryption {

    private static final Logger LOG = Logger.getLogger(FieldEncryption.class.getName());

    /**
     * In FIPS mode, switches BouncyCastle FIPS to approved-only mode. Must run before anything
     * loads BouncyCastle: the module reads the switch once.
     */
    static void selectMode(Config config) {
        selectMode(CryptoSettings.from(config).fips());
    }

    /** {@link #selectMode(Config)} for a command that is told the mode directly. */
    static void selectMode(boolean fips) {
        if (fips) {
            System.setProperty(CryptoProviders.APPROVED_ONLY_PROPERTY, "true");
        }
    }

    /**
     * Loads the KEK and checks that it unwraps every stored data key's KEK.
     *
     * @throws ConfigurationException naming the setting or key file that is wrong
     */
    static void check(Config config, ApplianceSettings settings, Clock clock) {
        CryptoSettings crypto = CryptoSettings.from(config);
        if (!crypto.problems().isEmpty()) {
            throw new ConfigurationException(String.join("\n  ", crypto.problems()));
        }
        try {
            CryptoProviders providers = CryptoProviders.of(crypto.fips());
            KeyEncryptionKey kek = KekSource.load(crypto, providers);
            DataKeys keys = new DataKeys(() -> DriverManager.getConnection(settings.dbUrl().orElseThrow(), settings.dbUser(),
                settings.dbPassword()), kek, providers, clock);
            int checked = keys.verifyKek();
            LOG.info(() -> "Field encryption: AES-256-GCM on " + providers.name() + ", key-encryption key " + kek.id()
                + (checked == 0 ? "" : " (unwraps the stored data keys)"));
        } catch (KeyMaterialException e) {
            throw new ConfigurationException("key-encryption key: " + e.getMessage());
        } catch (IllegalStateException e) {
            throw new ConfigurationException("field encryption: " + e.getMessage());
        }
    }

    @Produces
    @Singleton
    DataKeys dataKeys(Config config, @Named(ApplianceConfig.DATA_SOURCE) DataSource dataSource, Clock clock) {
        CryptoSettings crypto = CryptoSettings.from(config);
        CryptoProviders providers = CryptoProviders.of(crypto.fips());
        return new DataKeys(dataSource::getConnection, KekSource.load(crypto, providers), providers, clock);
    }

    @Produces
    @Singleton
    FieldCipher fieldCipher(DataKeys keys) {
        return new FieldCipher(keys);
    }

    @Produces
    @Singleton
    EncryptedColumns encryptedColumns(FieldCipher cipher) {
        return new EncryptedColumns(cipher);
    }
}
