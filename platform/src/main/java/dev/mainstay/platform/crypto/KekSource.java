package dev.mainstay.platform.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Set;

/**
 * Loads the key-encryption key from where {@link CryptoSettings} says it is: a raw key file, a
 * keystore, or a PKCS#11 token ({@link Pkcs11Kek}, whose key never leaves the HSM).
 */
public final class KekSource {

    private KekSource() {
    }

    /**
     * The KEK.
     *
     * @throws KeyMaterialException naming the file or setting and what is wrong with it
     */
    public static KeyEncryptionKey load(CryptoSettings settings, CryptoProviders providers) {
        if (settings.kekSources().size() != 1) {
            throw new KeyMaterialException(String.join("; ", settings.problems()));
        }
        if (settings.pkcs11Config().isPresent()) {
            char[] pin = password(settings);
            try {
                return Pkcs11Kek.load(settings.pkcs11Config().get(), settings.alias(), pin, providers);
            } finally {
                Arrays.fill(pin, '\0');
            }
        }
        if (settings.kekFile().isPresent()) {
            Path file = settings.kekFile().get();
            byte[] raw = read(file);
            try {
                return KeyEncryptionKey.fromBytes("file", raw, providers);
            } catch (IllegalArgumentException e) {
                throw new KeyMaterialException(file + ": " + e.getMessage());
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        }
        Path keystore = settings.keystore().orElseThrow(() -> new KeyMaterialException(String.join("; ", settings.problems())));
        String type = settings.keystoreType().orElse(providers.keystoreType());
        char[] password = password(settings);
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = providers.provider() == null ? KeyStore.getInstance(type) : KeyStore.getInstance(type, providers.provider());
            store.load(in, password);
            Key key = store.getKey(settings.alias(), password);
            if (key == null) {
                throw new KeyMaterialException(keystore + ": no entry '" + settings.alias() + "' (set " + CryptoSettings.ALIAS + ")");
            }
            if (!"AES".equalsIgnoreCase(key.getAlgorithm()) || key.getEncoded() == null) {
                throw new KeyMaterialException(keystore + ": entry '" + settings.alias() + "' is not an AES secret key");
            }
            return KeyEncryptionKey.fromBytes("keystore:" + settings.alias(), key.getEncoded(), providers);
        } catch (IOException e) {
            throw new KeyMaterialException(keystore + ": cannot be read as a " + type + " keystore with the configured password: "
                + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new KeyMaterialException(keystore + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new KeyMaterialException(keystore + ": entry '" + settings.alias() + "': " + e.getMessage());
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /**
     * Makes a KEK file of 32 random bytes, readable by the owner only, unless it exists (dev mode).
     *
     * @return true when the file was made now
     */
    public static boolean createIfMissing(Path file, CryptoProviders providers) {
        if (Files.exists(file)) {
            return false;
        }
        byte[] raw = providers.newAesKey().getEncoded();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".kek", ".tmp",
                PosixFilePermissions.asFileAttribute(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
            Files.write(tmp, raw);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            throw new KeyMaterialException("cannot write the key-encryption key " + file + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private static byte[] read(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.OTHERS_READ) || permissions.contains(PosixFilePermission.GROUP_READ)) {
                throw new KeyMaterialException(file + ": readable by group or others (" + PosixFilePermissions.toString(permissions)
                    + "); make it readable by its owner only: chmod 600 " + file);
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new KeyMaterialException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    private static char[] password(CryptoSettings settings) {
        if (settings.password().isPresent()) {
            return settings.password().get().toCharArray();
        }
        Path file = settings.passwordFile().orElseThrow(() -> new KeyMaterialException(String.join("; ", settings.problems())));
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            return (end < 0 ? text : text.substring(0, end)).strip().toCharArray();
        } catch (IOException e) {
            throw new KeyMaterialException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }
}
