package dev.mainstay.platform.crypto;

import dev.mainstay.platform.ConfigValues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Where the key-encryption key comes from, and which provider runs the cryptography.
 *
 * @param fips             run every field-encryption operation on BouncyCastle FIPS (approved-only mode)
 * @param kekFile          a file holding the 32 raw bytes of the KEK
 * @param keystore         a PKCS#12 (or, in FIPS mode, BCFKS) keystore holding the KEK as a secret-key entry
 * @param keystoreType     the keystore's type; by default PKCS12, BCFKS in FIPS mode
 * @param alias            the KEK's alias in the keystore
 * @param password         the keystore's password
 * @param passwordFile     a file whose first line is the keystore's password
 */
public record CryptoSettings(boolean fips, Optional<Path> kekFile, Optional<Path> keystore, Optional<String> keystoreType,
                             String alias, Optional<String> password, Optional<Path> passwordFile) {

    public static final String FIPS = "mainstay.crypto.fips";
    public static final String KEK_FILE = "mainstay.crypto.kek.file";
    public static final String KEYSTORE = "mainstay.crypto.kek.keystore";
    public static final String KEYSTORE_TYPE = "mainstay.crypto.kek.keystore-type";
    public static final String ALIAS = "mainstay.crypto.kek.alias";
    public static final String PASSWORD = "mainstay.crypto.kek.password";
    public static final String PASSWORD_FILE = "mainstay.crypto.kek.password-file";

    /** Reads the settings; {@link #problems()} says whether they are usable. */
    public static CryptoSettings from(Config config) {
        return new CryptoSettings(
            config.getOptionalValue(FIPS, Boolean.class).orElse(false),
            ConfigValues.text(config, KEK_FILE).map(Path::of),
            ConfigValues.text(config, KEYSTORE).map(Path::of),
            ConfigValues.text(config, KEYSTORE_TYPE),
            ConfigValues.text(config, ALIAS).orElse("mainstay-kek"),
            ConfigValues.text(config, PASSWORD),
            ConfigValues.text(config, PASSWORD_FILE).map(Path::of));
    }

    /** What must be fixed before the KEK can be loaded; each problem names its key. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (kekFile.isEmpty() && keystore.isEmpty()) {
            problems.add("no key-encryption key is configured: set " + KEYSTORE + " (a keystore, with " + PASSWORD
                + " or " + PASSWORD_FILE + ") or " + KEK_FILE + " (32 raw bytes)");
        }
        if (kekFile.isPresent() && keystore.isPresent()) {
            problems.add("both " + KEK_FILE + " and " + KEYSTORE + " are set: Mainstay uses one key-encryption key; remove one");
        }
        if (keystore.isPresent() && password.isEmpty() && passwordFile.isEmpty()) {
            problems.add(PASSWORD + " (or " + PASSWORD_FILE + ") is not set: the keystore " + keystore.get() + " needs its password");
        }
        return problems;
    }
}
