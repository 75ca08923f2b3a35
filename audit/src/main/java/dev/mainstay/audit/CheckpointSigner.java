package dev.mainstay.audit;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;

/** Signs checkpoints with the appliance's {@link SigningKey}, and checks signatures against a trusted public key. */
public final class CheckpointSigner {

    private final SigningKey key;
    private final AuditCrypto crypto;

    public CheckpointSigner(SigningKey key, AuditCrypto crypto) {
        this.key = key;
        this.crypto = crypto;
    }

    public SigningKey key() {
        return key;
    }

    /** Checkpoint {@code number} over head {@code head} at {@code seq}, following the checkpoint whose digest is {@code prev}. */
    public Checkpoint sign(long number, long seq, byte[] head, Instant time, byte[] prev) {
        String algorithm = key.publicKey().getAlgorithm().equals("EC") ? AuditCrypto.ECDSA_P256 : AuditCrypto.ED25519;
        Checkpoint unsigned = new Checkpoint(number, seq, head, time, prev, key.keyId(), algorithm, new byte[0]);
        try {
            Signature s = crypto.signature(algorithm);
            s.initSign(key.privateKey(), crypto.random());
            s.update(Canonical.checkpoint(unsigned));
            return new Checkpoint(number, seq, head, unsigned.time(), prev, key.keyId(), algorithm, s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign audit checkpoint " + number + " with " + algorithm, e);
        }
    }

    /** Whether {@code checkpoint}'s signature verifies with {@code trusted} (JDK providers; any mode). */
    public static boolean verifies(Checkpoint checkpoint, PublicKey trusted) {
        boolean ec = trusted.getAlgorithm().equals("EC");
        String expected = ec ? AuditCrypto.ECDSA_P256 : AuditCrypto.ED25519;
        if (!expected.equals(checkpoint.algorithm())) {
            return false;
        }
        try {
            Signature s = Signature.getInstance(expected);
            s.initVerify(trusted);
            s.update(Canonical.checkpoint(checkpoint));
            return s.verify(checkpoint.signature());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
