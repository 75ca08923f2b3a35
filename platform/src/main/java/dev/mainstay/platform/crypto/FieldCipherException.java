package dev.mainstay.platform.crypto;

import java.io.Serial;

/** A value cannot be decrypted; {@link #reason()} says why. */
public class FieldCipherException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Why a value cannot be decrypted. */
    public enum Reason {
        /** Not a ciphertext Mainstay wrote: too short, or a format version it does not know. */
        MALFORMED,
        /** Its data key is not in this database. */
        UNKNOWN_KEY,
        /** Its data key was destroyed: the value is crypto-shredded. */
        KEY_DESTROYED,
        /** The configured key-encryption key is not the one that wrapped the data key. */
        WRONG_KEK,
        /** It was changed, or belongs to another table, column, row or org. */
        NOT_AUTHENTIC
    }

    private final Reason reason;

    FieldCipherException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
