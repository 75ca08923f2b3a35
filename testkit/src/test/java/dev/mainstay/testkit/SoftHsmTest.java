package dev.mainstay.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.util.Collections;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The SoftHSM2 fixture: a fresh token per test, keys made inside it, and reloads that find them. */
@ExtendWith(SoftHsm.class)
class SoftHsmTest {

    private static KeyStore logIn(Provider provider, String pin) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS11", provider);
        store.load(null, pin.toCharArray());
        return store;
    }

    @Test
    void each_test_gets_a_fresh_token_that_checks_its_pin_and_holds_no_keys(SoftHsmToken token) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS11", token.newProvider());
        assertThrows(IOException.class, () -> store.load(null, "not-the-pin".toCharArray()), "the token checks its PIN");
        store.load(null, token.pin().toCharArray());
        assertEquals(List.of(), Collections.list(store.aliases()), "a fresh token holds nothing");
    }

    @Test
    void a_key_made_in_the_token_cannot_be_read_and_a_new_provider_like_after_a_restart_finds_and_uses_it(SoftHsmToken token)
        throws Exception {
        token.createAesKey("kek");
        Provider first = token.newProvider();
        Key key = logIn(first, token.pin()).getKey("kek", null);
        assertNull(key.getEncoded(), "sensitive and not extractable: the key's bytes never leave the token");

        byte[] nonce = new byte[12];
        Cipher encrypt = Cipher.getInstance("AES/GCM/NoPadding", first);
        encrypt.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        byte[] plaintext = "a data key's bytes".getBytes(StandardCharsets.US_ASCII);
        byte[] sealed = encrypt.doFinal(plaintext);

        Provider restarted = token.newProvider();
        assertNotEquals(first.getName(), restarted.getName(), "a provider of its own, on a fresh copy of the library");
        Cipher decrypt = Cipher.getInstance("AES/GCM/NoPadding", restarted);
        decrypt.init(Cipher.DECRYPT_MODE, logIn(restarted, token.pin()).getKey("kek", null), new GCMParameterSpec(128, nonce));
        assertArrayEquals(plaintext, decrypt.doFinal(sealed), "the key is a token object: it outlives the provider that made it");
    }
}
