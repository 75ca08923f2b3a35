package dev.mainstay.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checkpoint signing key: one PEM file with a {@code PRIVATE KEY} (PKCS#8) and a
 * {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo) block, readable by its owner only. The public
 * half alone ({@link #publicPem}) is what auditors verify with.
 *
 * @param privateKey signs
 * @param publicKey  verifies
 * @param keyId      first 8 bytes of SHA-256 over the public key's encoding, in hex
 */
public record SigningKey(PrivateKey privateKey, PublicKey publicKey, String keyId) {

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    /** A new key pair for {@code crypto}'s algorithm. */
    public static SigningKey generate(AuditCrypto crypto) {
        try {
            KeyPair pair = crypto.keyPairGenerator().generateKeyPair();
            return new SigningKey(pair.getPrivate(), pair.getPublic(), keyId(pair.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a " + crypto.signatureAlgorithm() + " key pair", e);
        }
    }

    /** The key id of a public key. */
    public static String keyId(PublicKey key) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * Reads a signing key file.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static SigningKey read(Path file, AuditCrypto crypto) {
        String pem = readOwnerOnly(file);
        try {
            PublicKey publicKey = parsePublic(pem, file);
            byte[] der = block(pem, "PRIVATE KEY", file);
            KeyFactory factory = crypto.keyFactory(family(publicKey));
            PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(der));
            return new SigningKey(privateKey, publicKey, keyId(publicKey));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + ": not a usable signing key: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a public key PEM file (a {@code PUBLIC KEY} block; a signing key file works too).
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static PublicKey readPublic(Path file) {
        try {
            return parsePublic(Files.readString(file, StandardCharsets.US_ASCII), file);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /** Writes this key to {@code file} (owner-only), replacing nothing: the file must not exist. */
    public void write(Path file) {
        String pem = pem("PRIVATE KEY", privateKey.getEncoded()) + publicPem();
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".audit-key", ".tmp",
                PosixFilePermissions.asFileAttribute(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
            Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be written: " + e.getMessage(), e);
        }
    }

    /** The public key as a PEM block, for auditors. */
    public String publicPem() {
        return publicPem(publicKey);
    }

    /** {@code key} as a {@code PUBLIC KEY} PEM block. */
    public static String publicPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    private static PublicKey parsePublic(String pem, Path file) {
        return publicKeyOf(block(pem, "PUBLIC KEY", file)).orElseThrow(() -> new IllegalArgumentException(file
            + ": the PUBLIC KEY block is neither an Ed25519 nor an EC (P-256) key"));
    }

    /** An Ed25519 or EC public key from its X.509 SubjectPublicKeyInfo encoding; empty when it is neither. */
    static Optional<PublicKey> publicKeyOf(byte[] spki) {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(spki);
        for (String family : new String[] {"Ed25519", "EC"}) {
            try {
                return Optional.of(KeyFactory.getInstance(family).generatePublic(spec));
            } catch (GeneralSecurityException e) {
                // try the next family
            }
        }
        return Optional.empty();
    }

    private static String family(PublicKey key) {
        return key.getAlgorithm().equals("EC") ? "EC" : "Ed25519";
    }

    private static byte[] block(String pem, String type, Path file) {
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                try {
                    return Base64.getMimeDecoder().decode(m.group(2));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ": the " + type + " block is not valid base64");
                }
            }
        }
        throw new IllegalArgumentException(file + ": no '-----BEGIN " + type + "-----' block");
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
            + "\n-----END " + type + "-----\n";
    }

    private static String readOwnerOnly(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                throw new IllegalArgumentException(file + ": readable by group or others; make it readable by its owner only: chmod 600 "
                    + file);
            }
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }
}
