package dev.mainstay.platform.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.testkit.MainstayDatabase;
import dev.mainstay.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Field encryption against a real PostgreSQL keyring, on the provider this JVM runs: SunJCE in the
 * default test run, BouncyCastle FIPS in approved-only mode in the {@code crypto-fips} run.
 */
@MainstayDatabase
class FieldCipherTest {

    private static final CryptoProviders PROVIDERS = CryptoModes.current();

    private KeyEncryptionKey kek;
    private DataKeys keys;
    private FieldCipher cipher;
    private TestDatabase db;
    private String org;

    @BeforeEach
    void keyring(TestDatabase db) {
        this.db = db;
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        kek = KeyEncryptionKey.fromBytes("file", raw, PROVIDERS);
        keys = new DataKeys(db::connect, kek, PROVIDERS, Clock.systemUTC());
        cipher = new FieldCipher(keys);
        org = "org-" + UUID.randomUUID();
    }

    private FieldContext field(String rowId) {
        return new FieldContext(org, "executions", "ingest_execution", "stack_trace", rowId);
    }

    @Test
    void the_provider_is_the_one_the_mode_asks_for() throws Exception {
        String gcm = PROVIDERS.cipher("AES/GCM/NoPadding").getProvider().getName();
        String wrap = PROVIDERS.cipher(PROVIDERS.keyWrap()).getProvider().getName();
        assertEquals(CryptoModes.fips() ? List.of("BCFIPS", "BCFIPS") : List.of("SunJCE", "SunJCE"), List.of(gcm, wrap));
        assertEquals(CryptoModes.fips(), CryptoServicesRegistrar.isInApprovedOnlyMode(),
            "FIPS runs in approved-only mode");
    }

    @Test
    void a_value_decrypts_where_it_was_written_and_its_ciphertext_never_contains_it() {
        String secret = "java.net.ConnectException: Connection refused to db-primary.acme.internal:5432";
        byte[] sealed = cipher.encryptString(field("row-1"), secret);

        assertEquals(secret, cipher.decryptString(field("row-1"), sealed));
        assertEquals(secret.length() + FieldCipher.OVERHEAD, sealed.length, "version, key id, nonce and tag: 45 bytes");
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("db-primary"), "no plaintext in the ciphertext");
        assertNotEquals(HexFormat.of().formatHex(sealed), HexFormat.of().formatHex(cipher.encryptString(field("row-1"), secret)),
            "a fresh nonce each time: the same value encrypts differently");
    }

    @Test
    void a_ciphertext_moved_to_another_row_column_table_or_org_fails_to_decrypt() {
        byte[] sealed = cipher.encryptString(field("row-1"), "confidential");
        for (FieldContext elsewhere : List.of(
            field("row-2"),
            new FieldContext(org, "executions", "ingest_execution", "message", "row-1"),
            new FieldContext(org, "executions", "identity_session", "stack_trace", "row-1"),
            new FieldContext("other-" + org, "executions", "ingest_execution", "stack_trace", "row-1"))) {
            FieldCipherException e = assertThrows(FieldCipherException.class, () -> cipher.decrypt(elsewhere, sealed), elsewhere.toString());
            assertTrue(e.reason() == FieldCipherException.Reason.NOT_AUTHENTIC, elsewhere + ": " + e.reason());
        }
    }

    @Test
    void a_changed_byte_anywhere_is_detected() {
        byte[] sealed = cipher.encryptString(field("row-1"), "confidential");
        for (int i = 0; i < sealed.length; i++) {
            byte[] changed = sealed.clone();
            changed[i] ^= 0x01;
            int at = i;
            FieldCipherException e = assertThrows(FieldCipherException.class, () -> cipher.decrypt(field("row-1"), changed),
                "byte " + at);
            assertTrue(List.of(FieldCipherException.Reason.NOT_AUTHENTIC, FieldCipherException.Reason.MALFORMED,
                FieldCipherException.Reason.UNKNOWN_KEY).contains(e.reason()), "byte " + at + ": " + e.reason());
        }
    }

    @Test
    void rotation_makes_a_new_primary_and_old_values_stay_readable_until_reencrypted() throws Exception {
        byte[] before = cipher.encryptString(field("row-1"), "written before rotation");
        UUID oldKey = FieldCipher.keyIdOf(before);

        UUID newKey = keys.rotate(org, "executions");
        byte[] after = cipher.encryptString(field("row-2"), "written after rotation");

        assertEquals(newKey, FieldCipher.keyIdOf(after), "new values use the new primary");
        assertEquals("written before rotation", cipher.decryptString(field("row-1"), before), "the old key still decrypts");
        assertEquals(List.of("primary", "decrypt-only"),
            db.column("SELECT state FROM crypto_data_key WHERE org = '" + org + "' AND purpose = 'executions' ORDER BY created_at DESC"));

        byte[] rewritten = cipher.reencrypt(field("row-1"), before);
        assertEquals(newKey, FieldCipher.keyIdOf(rewritten));
        assertEquals("written before rotation", cipher.decryptString(field("row-1"), rewritten));
        assertTrue(Arrays.equals(rewritten, cipher.reencrypt(field("row-1"), rewritten)), "already under the primary: unchanged");
        assertNotEquals(oldKey, newKey);
    }

    @Test
    void destroying_an_orgs_keys_makes_its_values_unreadable_and_leaves_other_orgs_alone() throws Exception {
        byte[] mine = cipher.encryptString(field("row-1"), "shred me");
        FieldContext other = new FieldContext("neighbour-" + org, "executions", "ingest_execution", "stack_trace", "row-1");
        byte[] theirs = cipher.encryptString(other, "keep me");

        assertEquals(1, keys.destroy(org, "org deleted by its admin"));

        FieldCipherException e = assertThrows(FieldCipherException.class, () -> cipher.decrypt(field("row-1"), mine));
        assertEquals(FieldCipherException.Reason.KEY_DESTROYED, e.reason());
        assertEquals("keep me", cipher.decryptString(other, theirs));
        assertEquals(List.of("destroyed"), db.column("SELECT state || CASE WHEN wrapped IS NULL THEN '' ELSE ' (bytes kept)' END"
            + " FROM crypto_data_key WHERE org = '" + org + "'"));
        // A fresh keyring (another replica, a restart) cannot read it either.
        FieldCipher restarted = new FieldCipher(new DataKeys(db::connect, kek, PROVIDERS, Clock.systemUTC()));
        assertEquals(FieldCipherException.Reason.KEY_DESTROYED,
            assertThrows(FieldCipherException.class, () -> restarted.decrypt(field("row-1"), mine)).reason());
    }

    @Test
    void another_kek_cannot_read_the_data_keys() {
        byte[] sealed = cipher.encryptString(field("row-1"), "confidential");
        byte[] otherRaw = new byte[32];
        new SecureRandom().nextBytes(otherRaw);
        KeyEncryptionKey other = KeyEncryptionKey.fromBytes("file", otherRaw, PROVIDERS);
        FieldCipher wrongKek = new FieldCipher(new DataKeys(db::connect, other, PROVIDERS, Clock.systemUTC()));

        FieldCipherException e = assertThrows(FieldCipherException.class, () -> wrongKek.decrypt(field("row-1"), sealed));
        assertEquals(FieldCipherException.Reason.WRONG_KEK, e.reason());
        assertTrue(e.getMessage().contains(kek.id()) && e.getMessage().contains(other.id()), e.getMessage());
    }

    @Test
    void the_wrapped_data_keys_in_the_database_are_not_the_keys() throws Exception {
        byte[] sealed = cipher.encryptString(field("row-1"), "confidential");
        byte[] key = keys.byId(FieldCipher.keyIdOf(sealed)).key().getEncoded();
        String wrappedHex = db.column("SELECT encode(wrapped, 'hex') FROM crypto_data_key WHERE org = '" + org + "'").get(0);
        assertEquals(40 * 2, wrappedHex.length(), "AES-KWP of a 32-byte key is 40 bytes");
        assertFalse(wrappedHex.contains(HexFormat.of().formatHex(key, 0, 8)), "the key does not appear in its wrapped form");
    }

    @Test
    void blind_indexes_match_equal_values_only_and_differ_between_orgs() {
        byte[] a = cipher.blindIndex(org, "identity_session", "email", "ada@acme.example");
        assertArrayEquals(a, cipher.blindIndex(org, "identity_session", "email", "ada@acme.example"));
        assertFalse(Arrays.equals(a, cipher.blindIndex(org, "identity_session", "email", "max@acme.example")));
        assertFalse(Arrays.equals(a, cipher.blindIndex("other-" + org, "identity_session", "email", "ada@acme.example")));
        assertEquals(16, a.length);
    }

    @Test
    void malformed_ciphertexts_are_named_as_such() {
        assertEquals(FieldCipherException.Reason.MALFORMED,
            assertThrows(FieldCipherException.class, () -> cipher.decrypt(field("row-1"), new byte[10])).reason());
        byte[] sealed = cipher.encryptString(field("row-1"), "x");
        sealed[0] = 9;
        FieldCipherException e = assertThrows(FieldCipherException.class, () -> cipher.decrypt(field("row-1"), sealed));
        assertEquals("unknown ciphertext version 9", e.getMessage());
    }
}
