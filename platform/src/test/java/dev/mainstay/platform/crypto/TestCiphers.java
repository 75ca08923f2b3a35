package dev.mainstay.platform.crypto;

import dev.mainstay.testkit.TestDatabase;
import java.security.SecureRandom;
import java.time.Clock;

/** Field ciphers for tests outside this package: a fresh random key encryption key, data keys in the test's database. */
public final class TestCiphers {

    private TestCiphers() {
    }

    /** A cipher whose data keys live in {@code db}, under a key encryption key made for this call. */
    public static FieldCipher on(TestDatabase db) {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        CryptoProviders providers = CryptoModes.current();
        return new FieldCipher(new DataKeys(db::connect, KeyEncryptionKey.fromBytes("file", raw, providers), providers, Clock.systemUTC()));
    }
}
