package dev.mainstay.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A signed statement that the chain's head at sequence {@code seq} was {@code head}. Checkpoints
 * are numbered without gaps and each names the previous one's digest, so they form a chain of their
 * own: one cannot be dropped, replayed or reordered unnoticed.
 *
 * @param number    1, 2, 3, …
 * @param seq       the last event it covers (0 before any event)
 * @param head      that event's hash
 * @param time      when it was signed
 * @param prev      {@link #digest} of checkpoint {@code number - 1}; zeros for the first
 * @param keyId     {@link SigningKey#keyId} of the key that signed it
 * @param algorithm {@link AuditCrypto#ED25519} or {@link AuditCrypto#ECDSA_P256}
 * @param signature the signature over {@link Canonical#checkpoint}
 */
public record Checkpoint(long number, long seq, byte[] head, Instant time, byte[] prev, String keyId, String algorithm,
                         byte[] signature) {

    public Checkpoint {
        time = time.truncatedTo(ChronoUnit.MICROS);
    }

    /** What the next checkpoint names as {@code prev}: SHA-256 of this one's signed bytes and signature. */
    public byte[] digest(AuditCrypto crypto) {
        byte[] signed = Canonical.checkpoint(this);
        var digest = crypto.sha256();
        digest.update(signed);
        digest.update(signature);
        return digest.digest();
    }
}
