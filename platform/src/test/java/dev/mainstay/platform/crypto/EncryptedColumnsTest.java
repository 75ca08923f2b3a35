package dev.mainstay.platform.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.testkit.MainstayDatabase;
import dev.mainstay.testkit.TestDatabase;
import jakarta.persistence.Column;
import jakarta.persistence.Table;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An entity's {@link Encrypted} attributes take their binding from its mapping. */
@MainstayDatabase
class EncryptedColumnsTest {

    @Table(name = "widget")
    static final class Widget implements EncryptedRow {
        private final String id = UUID.randomUUID().toString();
        @Encrypted(purpose = "widgets")
        @Column(name = "secret_note")
        byte[] note;
        @Encrypted(purpose = "widgets")
        byte[] label;
        String plain;

        @Override
        public String keyOrg() {
            return "acme";
        }

        @Override
        public String rowId() {
            return id;
        }
    }

    private EncryptedColumns columns;

    @BeforeEach
    void keyring(TestDatabase db) {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        CryptoProviders providers = CryptoModes.current();
        columns = new EncryptedColumns(new FieldCipher(new DataKeys(db::connect, KeyEncryptionKey.fromBytes("file", raw, providers),
            providers, Clock.systemUTC())));
    }

    @Test
    void the_context_is_the_entitys_table_column_row_and_org() {
        Widget widget = new Widget();
        assertEquals(new FieldContext("acme", "widgets", "widget", "secret_note", widget.rowId()), columns.context(widget, "note"));
        assertEquals("label", columns.context(widget, "label").column(), "without @Column the attribute's name");
    }

    @Test
    void a_value_sealed_for_one_row_opens_there_and_not_in_another_row() {
        Widget one = new Widget();
        one.note = columns.seal(one, "note", "the combination is 1234");
        assertEquals("the combination is 1234", columns.open(one, "note", one.note));

        Widget other = new Widget();
        FieldCipherException e = assertThrows(FieldCipherException.class, () -> columns.open(other, "note", one.note));
        assertEquals(FieldCipherException.Reason.NOT_AUTHENTIC, e.reason());
        assertThrows(FieldCipherException.class, () -> columns.open(one, "label", one.note), "nor in another column");
    }

    @Test
    void an_attribute_not_declared_encrypted_is_refused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> columns.seal(new Widget(), "plain", "x"));
        assertTrue(e.getMessage().contains("Widget.plain is not a byte[] attribute declared @Encrypted"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> columns.seal(new Widget(), "absent", "x"));
    }
}
