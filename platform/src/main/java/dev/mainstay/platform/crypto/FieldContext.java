package dev.mainstay.platform.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where an encrypted value lives: org, purpose, table, column and row id. They are bound to the
 * value as GCM additional data, so a ciphertext copied to another row, column, table or org does
 * not decrypt.
 *
 * <p>The additional data is encoded once, when the context is made, and reused by every
 * encryption and decryption under it: a context is a value, immutable and safe to share between
 * threads.
 */
public final class FieldContext {

    /** The key org of data that belongs to the appliance rather than to one org (e.g. sign-in sessions). */
    public static final String APPLIANCE = "mainstay:appliance";

    private static final byte[] LABEL = "mainstay-field".getBytes(StandardCharsets.US_ASCII);

    private final String org;
    private final String purpose;
    private final String table;
    private final String column;
    private final String rowId;
    /** The additional data with zeros where the ciphertext header goes; never handed out. */
    private final byte[] aadTemplate;

    /**
     * @param org     the org whose data key encrypts it
     * @param purpose which of the org's data keys, e.g. {@code identity} or {@code executions}
     * @param table   the table
     * @param column  the column
     * @param rowId   the row's primary key, as text
     */
    public FieldContext(String org, String purpose, String table, String column, String rowId) {
        this.org = Objects.requireNonNull(org, "org");
        this.purpose = Objects.requireNonNull(purpose, "purpose");
        this.table = Objects.requireNonNull(table, "table");
        this.column = Objects.requireNonNull(column, "column");
        this.rowId = Objects.requireNonNull(rowId, "rowId");
        this.aadTemplate = template(org, purpose, table, column, rowId);
    }

    public String org() {
        return org;
    }

    public String purpose() {
        return purpose;
    }

    public String table() {
        return table;
    }

    public String column() {
        return column;
    }

    public String rowId() {
        return rowId;
    }

    /**
     * Writes the additional data into {@code scratch} (grown when too small) and returns the
     * buffer that holds it, {@link #aadLength} bytes from 0: a label, the ciphertext header
     * ({@link FieldCipher#HEADER} bytes of {@code source} from {@code offset}), then org, purpose,
     * table, column and row id, each length-prefixed (no two contexts collide).
     */
    byte[] aad(byte[] source, int offset, byte[] scratch) {
        byte[] aad = scratch.length >= aadTemplate.length ? scratch : new byte[aadTemplate.length];
        System.arraycopy(aadTemplate, 0, aad, 0, aadTemplate.length);
        System.arraycopy(source, offset, aad, LABEL.length, FieldCipher.HEADER);
        return aad;
    }

    /** How many bytes of {@link #aad}'s buffer are the additional data. */
    int aadLength() {
        return aadTemplate.length;
    }

    private static byte[] template(String... parts) {
        byte[][] encoded = new byte[parts.length][];
        int size = LABEL.length + FieldCipher.HEADER;
        for (int i = 0; i < parts.length; i++) {
            encoded[i] = parts[i].getBytes(StandardCharsets.UTF_8);
            size += 4 + encoded[i].length;
        }
        byte[] aad = new byte[size];
        System.arraycopy(LABEL, 0, aad, 0, LABEL.length);
        int at = LABEL.length + FieldCipher.HEADER;
        for (byte[] part : encoded) {
            aad[at] = (byte) (part.length >>> 24);
            aad[at + 1] = (byte) (part.length >>> 16);
            aad[at + 2] = (byte) (part.length >>> 8);
            aad[at + 3] = (byte) part.length;
            System.arraycopy(part, 0, aad, at + 4, part.length);
            at += 4 + part.length;
        }
        return aad;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldContext other && Arrays.equals(aadTemplate, other.aadTemplate);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(aadTemplate);
    }

    @Override
    public String toString() {
        return table + "." + column + " row " + rowId + " (org " + org + ")";
    }
}
