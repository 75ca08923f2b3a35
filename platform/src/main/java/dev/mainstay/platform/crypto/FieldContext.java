package dev.mainstay.platform.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where an encrypted value lives: it is bound to these as GCM additional data, so a ciphertext
 * copied to another row, column, table or org does not decrypt.
 *
 * @param org     the org whose data key encrypts it
 * @param purpose which of the org's data keys, e.g. {@code identity} or {@code executions}
 * @param table   the table
 * @param column  the column
 * @param rowId   the row's primary key, as text
 */
public record FieldContext(String org, String purpose, String table, String column, String rowId) {

    /** The key org of data that belongs to the appliance rather than to one org (e.g. sign-in sessions). */
    public static final String APPLIANCE = "mainstay:appliance";

    public FieldContext {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(rowId, "rowId");
    }

    private static final byte[] LABEL = "mainstay-field".getBytes(StandardCharsets.US_ASCII);

    /**
     * The additional data: a label, the ciphertext header ({@code headerLength} bytes of
     * {@code source} from {@code offset}), then each part length-prefixed (no two contexts collide).
     */
    byte[] aad(byte[] source, int offset, int headerLength) {
        byte[][] parts = {bytes(org), bytes(purpose), bytes(table), bytes(column), bytes(rowId)};
        int size = LABEL.length + headerLength;
        for (byte[] part : parts) {
            size += 4 + part.length;
        }
        byte[] aad = new byte[size];
        System.arraycopy(LABEL, 0, aad, 0, LABEL.length);
        System.arraycopy(source, offset, aad, LABEL.length, headerLength);
        int at = LABEL.length + headerLength;
        for (byte[] part : parts) {
            at = putLength(aad, at, part.length);
            System.arraycopy(part, 0, aad, at, part.length);
            at += part.length;
        }
        return aad;
    }

    private static int putLength(byte[] aad, int at, int n) {
        aad[at] = (byte) (n >>> 24);
        aad[at + 1] = (byte) (n >>> 16);
        aad[at + 2] = (byte) (n >>> 8);
        aad[at + 3] = (byte) n;
        return at + 4;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return table + "." + column + " row " + rowId + " (org " + org + ")";
    }
}
