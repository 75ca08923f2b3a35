package dev.mainstay.platform.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.List;
import java.util.Optional;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading the key-encryption key from a raw file or a keystore, and the errors an operator sees. */
class KekSourceTest {

    private static final CryptoProviders PROVIDERS = CryptoModes.current();

    @TempDir
    Path dir;

    private static CryptoSettings file(Path file) {
        return new CryptoSettings(CryptoModes.fips(), Optional.of(file), Optional.empty(), Optional.empty(), Optional.empty(),
            "mainstay-kek", Optional.empty(), Optional.empty());
    }

    private static CryptoSettings keystore(Path keystore, String alias, Optional<String> password, Optional<Path> passwordFile) {
        return new CryptoSettings(CryptoModes.fips(), Optional.empty(), Optional.of(keystore), Optional.empty(), Optional.empty(),
            alias, password, passwordFile);
    }

    private static CryptoSettings pkcs11(Path config, Optional<String> pin) {
        return new CryptoSettings(CryptoModes.fips(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(config),
            "mainstay-kek", pin, Optional.empty());
    }

    @Test
    void dev_makes_a_kek_file_once_readable_by_its_owner_only_and_loads_it_again_with_the_same_id() throws Exception {
        Path kek = dir.resolve("kek.key");
        assertTrue(KekSource.createIfMissing(kek, PROVIDERS));
        assertFalse(KekSource.createIfMissing(kek, PROVIDERS), "an existing KEK is never replaced");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kek)));
        assertEquals(32, Files.size(kek));
        KeyEncryptionKey first = KekSource.load(file(kek), PROVIDERS);
        assertEquals(first.id(), KekSource.load(file(kek), PROVIDERS).id());
        assertTrue(first.id().matches("file:[0-9a-f]{16}"), first.id());
    }

    @Test
    void a_kek_file_readable_by_others_or_of_the_wrong_length_is_refused_with_the_fix() throws Exception {
        Path open = dir.resolve("open.key");
        Files.write(open, new byte[32]);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        KeyMaterialException e = assertThrows(KeyMaterialException.class, () -> KekSource.load(file(open), PROVIDERS));
        assertTrue(e.getMessage().endsWith("make it readable by its owner only: chmod 600 " + open), e.getMessage());

        Path shortKey = dir.resolve("short.key");
        Files.write(shortKey, new byte[16]);
        Files.setPosixFilePermissions(shortKey, PosixFilePermissions.fromString("rw-------"));
        e = assertThrows(KeyMaterialException.class, () -> KekSource.load(file(shortKey), PROVIDERS));
        assertEquals(shortKey + ": a key-encryption key is 32 bytes (AES-256), not 16", e.getMessage());
    }

    @Test
    void a_kek_in_a_keystore_loads_with_its_password_from_a_file_and_wraps_data_keys() throws Exception {
        Path store = dir.resolve("kek." + PROVIDERS.keystoreType().toLowerCase());
        SecretKey kek = PROVIDERS.newAesKey();
        KeyStore keyStore = PROVIDERS.provider() == null ? KeyStore.getInstance(PROVIDERS.keystoreType())
            : KeyStore.getInstance(PROVIDERS.keystoreType(), PROVIDERS.provider());
        keyStore.load(null, null);
        char[] password = "correct horse battery staple".toCharArray();
        keyStore.setEntry("mainstay-kek", new KeyStore.SecretKeyEntry(kek), new KeyStore.PasswordProtection(password));
        try (OutputStream out = Files.newOutputStream(store)) {
            keyStore.store(out, password);
        }
        Path passwordFile = dir.resolve("password");
        Files.writeString(passwordFile, "correct horse battery staple\n");

        KeyEncryptionKey loaded = KekSource.load(keystore(store, "mainstay-kek", Optional.empty(), Optional.of(passwordFile)), PROVIDERS);
        SecretKey dataKey = PROVIDERS.newAesKey();
        assertEquals(dataKey, loaded.unwrap(loaded.wrap(dataKey)));
        assertTrue(loaded.id().startsWith("keystore:mainstay-kek:"), loaded.id());

        KeyMaterialException e = assertThrows(KeyMaterialException.class,
            () -> KekSource.load(keystore(store, "other", Optional.of("correct horse battery staple"), Optional.empty()), PROVIDERS));
        assertEquals(store + ": no entry 'other' (set mainstay.crypto.kek.alias)", e.getMessage());
        e = assertThrows(KeyMaterialException.class,
            () -> KekSource.load(keystore(store, "mainstay-kek", Optional.of("wrong password"), Optional.empty()), PROVIDERS));
        assertTrue(e.getMessage().startsWith(store.toString()), e.getMessage());
    }

    @Test
    void settings_name_what_is_missing() {
        CryptoSettings none = new CryptoSettings(false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            "mainstay-kek", Optional.empty(), Optional.empty());
        assertEquals(List.of("no key-encryption key is configured: set mainstay.crypto.kek.keystore (a keystore, with"
            + " mainstay.crypto.kek.password or mainstay.crypto.kek.password-file), mainstay.crypto.kek.pkcs11-config (an HSM"
            + " through PKCS#11, with its PIN in the same settings) or mainstay.crypto.kek.file (32 raw bytes)"), none.problems());
        CryptoSettings noPassword = keystore(dir.resolve("k.p12"), "mainstay-kek", Optional.empty(), Optional.empty());
        assertEquals(List.of("mainstay.crypto.kek.password (or mainstay.crypto.kek.password-file) is not set: the keystore "
            + dir.resolve("k.p12") + " needs its password"), noPassword.problems());
        CryptoSettings noPin = pkcs11(dir.resolve("hsm.cfg"), Optional.empty());
        assertEquals(List.of("mainstay.crypto.kek.password (or mainstay.crypto.kek.password-file) is not set: the PKCS#11 token of "
            + dir.resolve("hsm.cfg") + " needs its user PIN"), noPin.problems());
        assertEquals(List.of(), pkcs11(dir.resolve("hsm.cfg"), Optional.of("1234")).problems());
    }

    @Test
    void exactly_one_kek_source_is_accepted_and_load_refuses_more() {
        CryptoSettings two = new CryptoSettings(false, Optional.of(dir.resolve("kek.key")), Optional.empty(), Optional.empty(),
            Optional.of(dir.resolve("hsm.cfg")), "mainstay-kek", Optional.of("1234"), Optional.empty());
        assertEquals(List.of("both mainstay.crypto.kek.pkcs11-config and mainstay.crypto.kek.file are set: Mainstay uses one"
            + " key-encryption key; remove all but one"), two.problems());
        KeyMaterialException e = assertThrows(KeyMaterialException.class, () -> KekSource.load(two, PROVIDERS));
        assertEquals(two.problems().get(0), e.getMessage(), "load does not pick one of them silently");

        CryptoSettings three = new CryptoSettings(false, Optional.of(dir.resolve("kek.key")), Optional.of(dir.resolve("k.p12")),
            Optional.empty(), Optional.of(dir.resolve("hsm.cfg")), "mainstay-kek", Optional.of("1234"), Optional.empty());
        assertEquals(List.of("mainstay.crypto.kek.keystore, mainstay.crypto.kek.pkcs11-config and mainstay.crypto.kek.file are"
            + " all set: Mainstay uses one key-encryption key; remove all but one"), three.problems());
    }

    @Test
    void a_pkcs11_keystore_type_points_to_the_pkcs11_setting() {
        CryptoSettings settings = new CryptoSettings(false, Optional.empty(), Optional.of(dir.resolve("hsm.cfg")),
            Optional.of("pkcs11"), Optional.empty(), "mainstay-kek", Optional.of("1234"), Optional.empty());
        assertEquals(List.of("mainstay.crypto.kek.keystore-type is PKCS11, which is not a keystore file: for a key in an HSM set"
            + " mainstay.crypto.kek.pkcs11-config to a SunPKCS11 configuration file instead"), settings.problems());
    }

    @Test
    void a_missing_pkcs11_configuration_file_is_named() {
        Path absent = dir.resolve("absent.cfg");
        KeyMaterialException e = assertThrows(KeyMaterialException.class,
            () -> KekSource.load(pkcs11(absent, Optional.of("1234")), PROVIDERS));
        assertEquals(absent + ": cannot be read; mainstay.crypto.kek.pkcs11-config names a SunPKCS11 configuration file"
            + " (name, library, slot)", e.getMessage());
    }
}
