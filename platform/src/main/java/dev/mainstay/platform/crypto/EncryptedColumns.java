package dev.mainstay.platform.crypto;

import jakarta.persistence.Column;
import jakarta.persistence.Table;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Seals and opens an entity's {@link Encrypted} attributes with {@link FieldCipher}. The
 * {@link FieldContext} comes from the entity's mapping: the table from {@link Table}, the column
 * from {@link Column} (else the attribute's name), the purpose from {@link Encrypted}, the org
 * and row from {@link EncryptedRow}. An entity keeps the ciphertext in its field and calls
 * {@link #seal} when it sets a value and {@link #open} when it is read, so plaintext never
 * reaches the persistence context.
 */
public final class EncryptedColumns {

    /** Where an attribute is stored. */
    private record Mapping(String purpose, String table, String column) {
    }

    private record Attribute(Class<?> type, String name) {
    }

    private final FieldCipher cipher;
    private final Map<Attribute, Mapping> mappings = new ConcurrentHashMap<>();

    public EncryptedColumns(FieldCipher cipher) {
        this.cipher = cipher;
    }

    /**
     * The ciphertext of {@code plaintext} for {@code row}'s attribute {@code attribute}.
     *
     * @throws IllegalArgumentException if the attribute is not declared {@link Encrypted}
     */
    public byte[] seal(EncryptedRow row, String attribute, String plaintext) {
        return cipher.encryptString(context(row, attribute), plaintext);
    }

    /**
     * The plaintext of {@code row}'s attribute {@code attribute}.
     *
     * @throws FieldCipherException if it was not encrypted for this row and attribute, was changed,
     *                              or its key is gone
     */
    public String open(EncryptedRow row, String attribute, byte[] ciphertext) {
        return cipher.decryptString(context(row, attribute), ciphertext);
    }

    /**
     * The blind index of a value of {@code type}'s encrypted attribute {@code attribute} in the
     * rows of key org {@code keyOrg}: what a row stores beside the ciphertext so it can be found
     * by equality, and what a lookup compares it with. The caller normalises the value (e.g.
     * lower-cases an e-mail address) the same way for both.
     *
     * @throws IllegalArgumentException if the attribute is not declared {@link Encrypted}
     */
    public byte[] blindIndex(Class<? extends EncryptedRow> type, String keyOrg, String attribute, String normalizedValue) {
        Mapping m = mappings.computeIfAbsent(new Attribute(type, attribute), EncryptedColumns::mapping);
        return cipher.blindIndex(keyOrg, m.table(), m.column(), normalizedValue);
    }

    /** Where {@code row}'s {@code attribute} is bound. */
    public FieldContext context(EncryptedRow row, String attribute) {
        Mapping m = mappings.computeIfAbsent(new Attribute(row.getClass(), attribute), EncryptedColumns::mapping);
        return new FieldContext(row.keyOrg(), m.purpose(), m.table(), m.column(), row.rowId());
    }

    private static Mapping mapping(Attribute attribute) {
        Class<?> type = attribute.type();
        Field field;
        try {
            field = type.getDeclaredField(attribute.name());
        } catch (NoSuchFieldException e) {
            throw new IllegalArgumentException(type.getName() + " has no attribute '" + attribute.name() + "'", e);
        }
        Encrypted encrypted = field.getAnnotation(Encrypted.class);
        if (encrypted == null || field.getType() != byte[].class) {
            throw new IllegalArgumentException(type.getName() + "." + attribute.name() + " is not a byte[] attribute declared @Encrypted");
        }
        Table table = type.getAnnotation(Table.class);
        if (table == null || table.name().isEmpty()) {
            throw new IllegalArgumentException(type.getName() + " names no table (@Table(name = ...))");
        }
        Column column = field.getAnnotation(Column.class);
        String columnName = column == null || column.name().isEmpty() ? attribute.name() : column.name();
        return new Mapping(encrypted.purpose(), table.name(), columnName);
    }
}
