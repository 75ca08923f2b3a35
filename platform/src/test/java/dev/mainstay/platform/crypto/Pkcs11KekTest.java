package dev.mainstay.platform.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.testkit.MainstayDatabase;
import dev.mainstay.testkit.SoftHsm;
import dev.mainstay.testkit.SoftHsmToken;
import dev.mainstay.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A key-encryption key in an HSM: a real SoftHSM2 token (a fresh one per test) reached through
 * SunPKCS11, a real PostgreSQL keyring, and the provider this JVM runs for everything else: SunJCE
 * in the default test run, BouncyCastle FIPS in approved-only mode in the {@code crypto-fips} run.
 */
@MainstayDatabase
@ExtendWith(SoftHsm.class)
class Pkcs11KekTest {

    private static final CryptoProviders PROVIDERS = CryptoModes.current();
    private static final String ALIAS = "mainstay-kek";

    private static CryptoSettings hsm(Path config, String alias, Optional<String> pin, Optional<Path> pinFile) {
        return new CryptoSettings(CryptoModes.fips(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(config),
            alias, pin, pinFile);
    }

    /** The KEK as the appliance loads it at a start: from a fresh SunPKCS11 configuration of the token. */
    private static KeyEncryptionKey start(SoftHsmToken token) {
        return KekSource.load(hsm(token.providerConfig(), ALIAS, Optional.of(token.pin()), Optional.empty()), PROVIDERS);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    @Test
    void a_data_key_wrapped_by_a_non_extractable_hsm_key_unwraps_to_the_same_key_and_nothing_else_does(SoftHsmToken token)
        throws Exception {
        token.createAesKey(ALIAS);
        KeyEncryptionKey kek = start(token);
        assertTrue(kek.id().matches("pkcs11:mainstay-kek:[0-9a-f]{16}"), "source, label and fingerprint: " + kek.id());

        SecretKey dataKey = PROVIDERS.newAesKey();
        byte[] wrapped = kek.wrap(dataKey);
        assertArrayEquals(dataKey.getEncoded(), kek.unwrap(wrapped).getEncoded());
        assertEquals(1 + 12 + 32 + 16, wrapped.length, "version, nonce, the key's 32 bytes, tag");
        assertFalse(hex(wrapped).contains(hex(dataKey.getEncoded())), "the data key is not in the clear");
        assertNotEquals(hex(wrapped), hex(kek.wrap(dataKey)), "a fresh nonce for each wrap");

        byte[] changed = wrapped.clone();
        changed[20] ^= 1;
        assertThrows(GeneralSecurityException.class, () -> kek.unwrap(changed), "a changed wrapped key is refused");
        KeyEncryptionKey file = KeyEncryptionKey.fromBytes("file", new byte[32], PROVIDERS);
        assertThrows(GeneralSecurityException.class, () -> kek.unwrap(file.wrap(dataKey)),
            "a data key another kind of KEK wrapped is refused, not misread");
    }

    @Test
    void after_a_restart_the_token_unwraps_the_stored_data_keys_under_the_same_kek_id(SoftHsmToken token, TestDatabase db)
        throws Exception {
        token.createAesKey(ALIAS);
        KeyEncryptionKey kek = start(token);
        String org = "org-" + UUID.randomUUID();
        DataKeys keys = new DataKeys(db::connect, kek, PROVIDERS, Clock.systemUTC());
        FieldContext field = new FieldContext(org, "executions", "ingest_execution", "stack_trace", "row-1");
        byte[] sealed = new FieldCipher(keys).encryptString(field, "ConnectException: db-primary.acme.internal:5432");
        try {
            assertEquals(kek.id(), keys.list(org).get(0).kekId(), "each data key row names the KEK that wrapped it");

            // A new SoftHSM instance and SunPKCS11 provider, logged in afresh, the PIN read from a file this time.
            Path pinFile = Files.writeString(Files.createTempFile("mainstay-pin", ".txt"), token.pin() + "\n");
            KeyEncryptionKey restarted = KekSource.load(hsm(token.providerConfig(), ALIAS, Optional.empty(), Optional.of(pinFile)),
                PROVIDERS);
            Files.delete(pinFile);
            assertEquals(kek.id(), restarted.id(), "the KEK id is stable across restarts");
            DataKeys after = new DataKeys(db::connect, restarted, PROVIDERS, Clock.systemUTC());
            assertEquals(1, after.verifyKek(), "the startup check unwraps the stored data key");
            assertEquals("ConnectException: db-primary.acme.internal:5432", new FieldCipher(after).decryptString(field, sealed));
        } finally {
            // The database is shared by this class's tests: a destroyed key is not checked at startup.
            keys.destroy(org, "test over");
        }
    }

    @Test
    void another_key_under_the_same_label_has_another_id_and_the_startup_check_names_the_kek_that_wrapped_the_stored_keys(
        SoftHsmToken token, TestDatabase db) {
        token.createAesKey(ALIAS);
        KeyEncryptionKey original = start(token);
        String org = "org-" + UUID.randomUUID();
        DataKeys keys = new DataKeys(db::connect, original, PROVIDERS, Clock.systemUTC());
        UUID stored = keys.rotate(org, "executions");
        try (SoftHsmToken replacement = SoftHsm.newToken()) {
            replacement.createAesKey(ALIAS);
            KeyEncryptionKey other = start(replacement);
            assertNotEquals(original.id(), other.id(), "the fingerprint tells the two keys apart");

            KeyMaterialException e = assertThrows(KeyMaterialException.class,
                () -> new DataKeys(db::connect, other, PROVIDERS, Clock.systemUTC()).verifyKek());
            assertEquals("the configured key-encryption key " + other.id() + " cannot unwrap data key " + stored + ", which KEK "
                + original.id() + " wrapped: configure that KEK (every value encrypted under it would otherwise be unreadable)",
                e.getMessage());
        } finally {
            keys.destroy(org, "test over");
        }
    }

    @Test
    void a_wrong_pin_is_refused_naming_the_settings_that_hold_it(SoftHsmToken token) {
        token.createAesKey(ALIAS);
        Path config = token.providerConfig();
        KeyMaterialException e = assertThrows(KeyMaterialException.class,
            () -> KekSource.load(hsm(config, ALIAS, Optional.of("not-the-pin"), Optional.empty()), PROVIDERS));
        assertEquals(config + ": the token refused the PIN (CKR_PIN_INCORRECT); check mainstay.crypto.kek.password or"
            + " mainstay.crypto.kek.password-file", e.getMessage());
    }

    @Test
    void a_missing_label_is_named_with_the_entries_the_token_holds(SoftHsmToken token) {
        token.createAesKey(ALIAS);
        Path config = token.providerConfig();
        KeyMaterialException e = assertThrows(KeyMaterialException.class,
            () -> KekSource.load(hsm(config, "mainstay-kek-2", Optional.of(token.pin()), Optional.empty()), PROVIDERS));
        assertEquals(config + ": the token has no entry 'mainstay-kek-2' (set mainstay.crypto.kek.alias); its entries: mainstay-kek",
            e.getMessage());
    }

    @Test
    void a_key_that_can_be_read_out_of_the_token_is_refused(SoftHsmToken token) {
        token.createAesKey(ALIAS, Map.of("CKA_SENSITIVE", false, "CKA_EXTRACTABLE", true));
        Path config = token.providerConfig();
        KeyMaterialException e = assertThrows(KeyMaterialException.class,
            () -> KekSource.load(hsm(config, ALIAS, Optional.of(token.pin()), Optional.empty()), PROVIDERS));
        assertEquals(config + ": key 'mainstay-kek' can be read out of the token; a KEK in an HSM must never leave it: make one"
            + " with CKA_SENSITIVE=true and CKA_EXTRACTABLE=false", e.getMessage());
    }

    @Test
    void a_key_the_token_will_not_encrypt_or_decrypt_with_is_refused_naming_the_attributes_it_needs(SoftHsmToken token) {
        token.createAesKey("wrap-only", Map.of("CKA_ENCRYPT", false, "CKA_DECRYPT", false, "CKA_WRAP", true, "CKA_UNWRAP", true));
        token.createAesKey("encrypt-only", Map.of("CKA_DECRYPT", false));
        Path config = token.providerConfig();

        KeyMaterialException e = assertThrows(KeyMaterialException.class,
            () -> KekSource.load(hsm(config, "wrap-only", Optional.of(token.pin()), Optional.empty()), PROVIDERS));
        assertTrue(e.getMessage().startsWith(config + ": the token will not encrypt with key 'wrap-only' ("), e.getMessage());
        assertTrue(e.getMessage().contains("CKR_KEY_FUNCTION_NOT_PERMITTED"), "the token's own answer: " + e.getMessage());
        assertTrue(e.getMessage().endsWith("Mainstay wraps data keys with AES-256-GCM inside the HSM: the key needs CKA_ENCRYPT"
            + " and CKA_DECRYPT, and the HSM must take a 96-bit nonce from Mainstay"), e.getMessage());

        e = assertThrows(KeyMaterialException.class,
            () -> KekSource.load(hsm(config, "encrypt-only", Optional.of(token.pin()), Optional.empty()), PROVIDERS));
        assertTrue(e.getMessage().startsWith(config + ": the token will not decrypt with key 'encrypt-only' ("), e.getMessage());
    }

    @Test
    void a_configuration_sunpkcs11_cannot_use_is_refused_with_its_reason(SoftHsmToken token) throws Exception {
        String good = Files.readString(token.providerConfig());
        Path noSuchSlot = Files.writeString(Files.createTempFile("mainstay-hsm", ".cfg"),
            good.replace("slot = " + token.slot(), "slot = 4242"));
        Path tokenLabel = Files.writeString(Files.createTempFile("mainstay-hsm", ".cfg"),
            good.replace("slot = " + token.slot(), "tokenLabel = " + token.label()));
        try {
            KeyMaterialException e = assertThrows(KeyMaterialException.class,
                () -> KekSource.load(hsm(noSuchSlot, ALIAS, Optional.of(token.pin()), Optional.empty()), PROVIDERS));
            assertTrue(e.getMessage().startsWith(noSuchSlot + ": SunPKCS11 cannot use this configuration: "), e.getMessage());
            assertTrue(e.getMessage().contains("CKR_SLOT_ID_INVALID"), e.getMessage());

            e = assertThrows(KeyMaterialException.class,
                () -> KekSource.load(hsm(tokenLabel, ALIAS, Optional.of(token.pin()), Optional.empty()), PROVIDERS));
            assertTrue(e.getMessage().contains("Unknown keyword 'tokenLabel', line 3"), e.getMessage());
        } finally {
            Files.delete(noSuchSlot);
            Files.delete(tokenLabel);
        }
    }
}
