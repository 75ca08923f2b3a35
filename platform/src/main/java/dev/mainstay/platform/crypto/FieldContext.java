package dev.mainstay.platform.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
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

    /** The additional data: a label, the ciphertext header, then each part length-prefixed (no two contexts collide). */
    byte[] aad(byte[] header) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.writeBytes("mainstay-field".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(header);
        for (String part : new String[] {org, purpose, table, column, rowId}) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return table + "." + column + " row " + rowId + " (org " + org + ")";
    }
}
