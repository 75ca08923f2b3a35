package dev.mainstay.platform.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidParameterException;
import java.security.Key;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.Security;
import java.security.UnrecoverableKeyException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A KEK that never leaves a PKCS#11 token (an HSM), reached through the JDK's SunPKCS11 provider
 * configured by the operator's file. Mainstay holds a handle to the key, never its bytes: the token
 * encrypts and decrypts each data key's 32 bytes, and bulk field encryption then runs under the
 * data key on the mode's provider (SunJCE with AES-NI, or BouncyCastle FIPS), not on the HSM.
 *
 * <p><b>Why AES-256-GCM on the token, not AES-KWP like {@link InMemoryKek}.</b> SunPKCS11 offers
 * {@code AES/KWP/NoPadding} only on tokens with {@code CKM_AES_KEY_WRAP_KWP} (PKCS#11 3.0), which
 * SoftHSM 2.6 and many HSMs lack; its {@code AES/KW} ciphers always pass the default IV as the
 * mechanism parameter, which SoftHSM refuses ({@code CKR_ARGUMENTS_BAD}); and {@code C_UnwrapKey}
 * would leave the data key inside the token, where a sensitive key cannot be read back for AES-NI
 * bulk work. Encrypting the data key's bytes with {@code CKM_AES_GCM} works on every token that
 * does AES-GCM, is authenticated (a changed or foreign blob fails with {@code AEADBadTagException},
 * so {@link DataKeys#verifyKek()} keeps working), and only needs the key to allow
 * {@code CKA_ENCRYPT} and {@code CKA_DECRYPT}. A KEK wraps a few keys per org, so random 96-bit
 * nonces stay far from GCM's limit. The nonce is drawn from the mode's random source (BouncyCastle
 * FIPS's DRBG in FIPS mode) and given to the token, because SunPKCS11 cannot take a nonce made by
 * the token; an HSM that insists on making GCM nonces itself refuses this at startup.
 *
 * <p><b>FIPS mode.</b> The KEK operations run inside the HSM, which is the KEK's own cryptographic
 * module; SunPKCS11 only carries the calls. Data key generation, nonces and all bulk work stay on
 * BouncyCastle FIPS in approved-only mode.
 *
 * <p><b>Id.</b> {@code pkcs11:<alias>:<fingerprint>}, the fingerprint being the first 8 bytes of
 * SHA-256 over a label and the key's check value: the GCM tag of an empty message under a fixed
 * all-zero nonce with the additional data {@value #CHECK_VALUE_AAD}. Like the key check values of
 * ANSI X9.24 (a MAC of a constant), it is the same for the same key across restarts, differs for
 * another key under the same label, and reveals nothing about the key. The fixed nonce is only
 * ever used with that one constant input, so it gives away nothing GCM's nonce rule protects.
 *
 * <p>Wrapped data key format, version 1 (persisted in {@code crypto_data_key.wrapped}; a new
 * layout gets a new version byte, and this class keeps reading the old ones):
 * <pre>
 * offset  size   field
 * 0       1      version = 0x01
 * 1       12     GCM nonce
 * 13      32+16  AES-256-GCM ciphertext of the data key's 32 bytes, then the tag
 * </pre>
 * The additional data is {@value #DATA_KEY_AAD} followed by the version byte.
 */
final class Pkcs11Kek extends KeyEncryptionKey {

    static final byte VERSION_1 = 1;
    static final String DATA_KEY_AAD = "mainstay-data-key";
    static final String CHECK_VALUE_AAD = "mainstay-kek-check-value";
    private static final String GCM = "AES/GCM/NoPadding";
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final int HEADER = 1 + NONCE;
    private static final String NEEDS = "Mainstay wraps data keys with AES-256-GCM inside the HSM: the key needs CKA_ENCRYPT and"
        + " CKA_DECRYPT, and the HSM must take a 96-bit nonce from Mainstay";

    private final Key key;
    private final Provider provider;
    private final SecureRandom random;

    private Pkcs11Kek(String id, Key key, Provider provider, SecureRandom random) {
        super(id);
        this.key = key;
        this.provider = provider;
        this.random = random;
    }

    /**
     * Configures a SunPKCS11 provider from {@code config}, logs in with {@code pin}, finds the AES
     * key labelled {@code alias}, and checks that the token encrypts and decrypts with it.
     *
     * @throws KeyMaterialException naming the configuration file and what is wrong: unreadable,
     *         refused by SunPKCS11 (library, slot), PIN refused, no such key, not an AES secret key,
     *         a key that can be read out of the token, or a key the token will not use for AES-GCM
     */
    static Pkcs11Kek load(Path config, String alias, char[] pin, CryptoProviders providers) {
        if (!Files.isRegularFile(config) || !Files.isReadable(config)) {
            throw new KeyMaterialException(config + ": cannot be read; " + CryptoSettings.PKCS11_CONFIG
                + " names a SunPKCS11 configuration file (name, library, slot)");
        }
        Provider provider = configure(config);
        KeyStore token = logIn(config, provider, pin);
        Key key = find(config, token, alias);
        byte[] checkValue;
        try {
            checkValue = checkValue(key, provider);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new KeyMaterialException(config + ": the token will not encrypt with key '" + alias + "' (" + causes(e)
                + "); " + NEEDS, e);
        }
        Pkcs11Kek kek = new Pkcs11Kek("pkcs11:" + alias + ":" + fingerprint(checkValue, providers), key, provider,
            providers.random());
        kek.probe(config, alias, providers);
        return kek;
    }

    @Override
    byte[] wrap(SecretKey dataKey) {
        byte[] raw = dataKey.getEncoded();
        if (raw == null) {
            throw new IllegalStateException("the data key's bytes cannot be read (" + dataKey.getAlgorithm() + ")");
        }
        try {
            return encrypt(raw);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new IllegalStateException("cannot wrap a data key with KEK " + id() + " (" + provider.getName() + ")", e);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException when the token fails (removed, logged out, out of sessions)
     */
    @Override
    SecretKey unwrap(byte[] wrapped) throws GeneralSecurityException {
        if (wrapped == null || wrapped.length <= HEADER + TAG_BITS / 8 || wrapped[0] != VERSION_1) {
            throw new GeneralSecurityException("not a data key wrapped by a PKCS#11 KEK (version 1, at least "
                + (HEADER + TAG_BITS / 8 + 1) + " bytes): " + (wrapped == null ? "null" : wrapped.length + " bytes"));
        }
        byte[] raw;
        try {
            Cipher cipher = Cipher.getInstance(GCM, provider);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, wrapped, 1, NONCE));
            cipher.updateAAD(aad(wrapped[0]));
            raw = cipher.doFinal(wrapped, HEADER, wrapped.length - HEADER);
        } catch (ProviderException e) {
            // The token failed, which says nothing about whether this KEK wrapped the key.
            throw new IllegalStateException("the token failed to unwrap a data key with KEK " + id() + ": " + causes(e), e);
        }
        try {
            return new SecretKeySpec(raw, "AES");
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private byte[] encrypt(byte[] raw) throws GeneralSecurityException {
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        Cipher cipher = Cipher.getInstance(GCM, provider);
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(aad(VERSION_1));
        byte[] sealed = cipher.doFinal(raw);
        byte[] out = new byte[HEADER + sealed.length];
        out[0] = VERSION_1;
        System.arraycopy(nonce, 0, out, 1, NONCE);
        System.arraycopy(sealed, 0, out, HEADER, sealed.length);
        return out;
    }

    /** Wraps and unwraps a throwaway key, so that a key the token will not decrypt with stops the start. */
    private void probe(Path config, String alias, CryptoProviders providers) {
        byte[] probe = providers.newAesKey().getEncoded();
        byte[] back = null;
        try {
            back = unwrap(encrypt(probe)).getEncoded();
            if (!MessageDigest.isEqual(probe, back)) {
                throw new KeyMaterialException(config + ": the token decrypted a probe under key '" + alias
                    + "' to other bytes than it encrypted");
            }
        } catch (GeneralSecurityException | ProviderException | IllegalStateException e) {
            throw new KeyMaterialException(config + ": the token will not decrypt with key '" + alias + "' (" + causes(e)
                + "); " + NEEDS, e);
        } finally {
            Arrays.fill(probe, (byte) 0);
            if (back != null) {
                Arrays.fill(back, (byte) 0);
            }
        }
    }

    private static Provider configure(Path config) {
        Provider sunPkcs11 = Security.getProvider("SunPKCS11");
        if (sunPkcs11 == null) {
            throw new KeyMaterialException("this JVM has no SunPKCS11 provider (module jdk.crypto.cryptoki), which "
                + CryptoSettings.PKCS11_CONFIG + " needs");
        }
        try {
            return sunPkcs11.configure(config.toString());
        } catch (InvalidParameterException | ProviderException e) {
            throw new KeyMaterialException(config + ": SunPKCS11 cannot use this configuration: " + causes(e), e);
        }
    }

    private static KeyStore logIn(Path config, Provider provider, char[] pin) {
        try {
            KeyStore token = KeyStore.getInstance("PKCS11", provider);
            token.load(null, pin);
            return token;
        } catch (IOException e) {
            if (has(e, UnrecoverableKeyException.class)) {
                throw new KeyMaterialException(config + ": the token refused the PIN (CKR_PIN_INCORRECT); check "
                    + CryptoSettings.PASSWORD + " or " + CryptoSettings.PASSWORD_FILE, e);
            }
            throw new KeyMaterialException(config + ": cannot log in to the token: " + causes(e), e);
        } catch (GeneralSecurityException e) {
            throw new KeyMaterialException(config + ": cannot open the token as a keystore: " + causes(e), e);
        }
    }

    private static Key find(Path config, KeyStore token, String alias) {
        try {
            Key key = token.getKey(alias, null);
            if (key == null) {
                List<String> entries = new ArrayList<>(Collections.list(token.aliases()));
                Collections.sort(entries);
                throw new KeyMaterialException(config + ": the token has no entry '" + alias + "' (set " + CryptoSettings.ALIAS
                    + ")" + (entries.isEmpty() ? "; it holds no keys" : "; its entries: " + String.join(", ", entries)));
            }
            if (!(key instanceof SecretKey) || !"AES".equalsIgnoreCase(key.getAlgorithm())) {
                throw new KeyMaterialException(config + ": entry '" + alias + "' is not an AES secret key");
            }
            if (key.getEncoded() != null) {
                throw new KeyMaterialException(config + ": key '" + alias + "' can be read out of the token; a KEK in an HSM"
                    + " must never leave it: make one with CKA_SENSITIVE=true and CKA_EXTRACTABLE=false");
            }
            return key;
        } catch (GeneralSecurityException e) {
            throw new KeyMaterialException(config + ": cannot read entry '" + alias + "': " + causes(e), e);
        }
    }

    private static byte[] checkValue(Key key, Provider provider) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(GCM, provider);
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, new byte[NONCE]));
        cipher.updateAAD(CHECK_VALUE_AAD.getBytes(StandardCharsets.US_ASCII));
        return cipher.doFinal(new byte[0]);
    }

    private static byte[] aad(byte version) {
        byte[] label = DATA_KEY_AAD.getBytes(StandardCharsets.US_ASCII);
        byte[] aad = Arrays.copyOf(label, label.length + 1);
        aad[label.length] = version;
        return aad;
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The messages down a cause chain, each once: SunPKCS11 puts the token's CKR_ code at the bottom. */
    private static String causes(Throwable e) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank() && messages.stream().noneMatch(m -> m.contains(message))) {
                messages.add(message);
            }
        }
        return messages.isEmpty() ? e.getClass().getSimpleName() : String.join(": ", messages);
    }
}
