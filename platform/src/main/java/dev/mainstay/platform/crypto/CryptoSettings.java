package dev.mainstay.platform.crypto;

import dev.mainstay.platform.ConfigValues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Where the key-encryption key comes from, and which provider runs the cryptography. Exactly one
 * source: a key file, a keystore, or a PKCS#11 token (an HSM).
 *
 * @param fips             run every field-encryption operation on BouncyCastle FIPS (approved-only mode)
 * @param kekFile          a file holding the 32 raw bytes of the KEK
 * @param keystore         a PKCS#12 (or, in FIPS mode, BCFKS) keystore holding the KEK as a secret-key entry
 * @param keystoreType     the keystore's type; by default PKCS12, BCFKS in FIPS mode
 * @param pkcs11Config     a SunPKCS11 configuration file naming the HSM's PKCS#11 library and slot
 * @param alias            the KEK's alias in the keystore, or its label in the token
 * @param password         the keystore's password, or the token's user PIN
 * @param passwordFile     a file whose first line is that password or PIN
 */
public record CryptoSettings(boolean fips, Optional<Path> kekFile, Optional<Path> keystore, Optional<String> keystoreType,
                             Optional<Path> pkcs11Config, String alias, Optional<String> password, Optional<Path> passwordFile) {

    public static final String FIPS = "mainstay.crypto.fips";
    public static final String KEK_FILE = "mainstay.crypto.kek.file";
    public static final String KEYSTORE = "mainstay.crypto.kek.keystore";
    public static final String KEYSTORE_TYPE = "mainstay.crypto.kek.keystore-type";
    public static final String PKCS11_CONFIG = "mainstay.crypto.kek.pkcs11-config";
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
            ConfigValues.text(config, PKCS11_CONFIG).map(Path::of),
            ConfigValues.text(config, ALIAS).orElse("mainstay-kek"),
            ConfigValues.text(config, PASSWORD),
            ConfigValues.text(config, PASSWORD_FILE).map(Path::of));
    }

    /** The settings that name a KEK source, in the order they are listed to operators. */
    public List<String> kekSources() {
        List<String> sources = new ArrayList<>();
        keystore.ifPresent(k -> sources.add(KEYSTORE));
        pkcs11Config.ifPresent(c -> sources.add(PKCS11_CONFIG));
        kekFile.ifPresent(f -> sources.add(KEK_FILE));
        return sources;
    }

    /** What must be fixed before the KEK can be loaded; each problem names its key. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        List<String> sources = kekSources();
        if (sources.isEmpty()) {
            problems.add("no key-encryption key is configured: set " + KEYSTORE + " (a keystore, with " + PASSWORD
                + " or " + PASSWORD_FILE + "), " + PKCS11_CONFIG + " (an HSM through PKCS#11, with its PIN in the same settings) or "
                + KEK_FILE + " (32 raw bytes)");
        }
        if (sources.size() > 1) {
            String set = sources.size() == 2 ? "both " + sources.get(0) + " and " + sources.get(1) + " are set"
                : String.join(", ", sources.subList(0, sources.size() - 1)) + " and " + sources.getLast() + " are all set";
            problems.add(set + ": Mainstay uses one key-encryption key; remove all but one");
        }
        if (keystore.isPresent() && password.isEmpty() && passwordFile.isEmpty()) {
            problems.add(PASSWORD + " (or " + PASSWORD_FILE + ") is not set: the keystore " + keystore.get() + " needs its password");
        }
        if (pkcs11Config.isPresent() && password.isEmpty() && passwordFile.isEmpty()) {
            problems.add(PASSWORD + " (or " + PASSWORD_FILE + ") is not set: the PKCS#11 token of " + pkcs11Config.get()
                + " needs its user PIN");
        }
        if (keystoreType.filter("PKCS11"::equalsIgnoreCase).isPresent()) {
            problems.add(KEYSTORE_TYPE + " is PKCS11, which is not a keystore file: for a key in an HSM set " + PKCS11_CONFIG
                + " to a SunPKCS11 configuration file instead");
        }
        return problems;
    }
}
