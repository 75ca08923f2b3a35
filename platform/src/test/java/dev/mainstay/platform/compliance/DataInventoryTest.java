package dev.mainstay.platform.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.platform.crypto.Encrypted;
import dev.mainstay.testkit.MainstayDatabase;
import dev.mainstay.testkit.TestDatabase;
import jakarta.persistence.Column;
import jakarta.persistence.Table;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The data inventory, the migrated schema and the JPA mapping agree, and SECURITY.md shows the inventory. */
@MainstayDatabase
class DataInventoryTest {

    private static final Path SECURITY_MD = Path.of("..", "SECURITY.md");

    @Table(name = "identity_session")
    static final class SessionWithPlainEmail {
        @Column(name = "email")
        String email;
    }

    @Table(name = "identity_session")
    static final class SessionWithSealedUsername {
        @Encrypted(purpose = "identity")
        byte[] username;
    }

    @Test
    void the_built_in_inventory_describes_every_column_of_the_migrated_schema_and_agrees_with_the_mapping(TestDatabase db)
        throws SQLException {
        DataInventory inventory = DataInventory.builtIn();
        Map<String, String> schema;
        try (Connection c = db.connect()) {
            schema = InventoryCheck.schema(c);
        }

        assertEquals(List.of(), InventoryCheck.problems(inventory, schema, InventoryCheck.mapping()));
        assertEquals(schema.keySet(), inventory.byColumn().keySet(), "every column, and only those");
        assertEquals(DataInventory.AtRest.ENCRYPTED, inventory.byColumn().get("identity_session.email").atRest());
        assertTrue(InventoryCheck.mapping().stream().anyMatch(m -> m.column().equals("identity_session.id_token") && m.encrypted()),
            "the mapping is read from the entities: " + InventoryCheck.mapping());
    }

    @Test
    void a_column_the_inventory_does_not_list_is_named(TestDatabase db) throws SQLException {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE identity_api_token ADD COLUMN owner_email text");
                List<String> problems = InventoryCheck.problems(DataInventory.builtIn(), InventoryCheck.schema(c), InventoryCheck.mapping());

                assertEquals(1, problems.size(), problems.toString());
                assertTrue(problems.get(0).startsWith("identity_api_token.owner_email exists in the database but "
                    + DataInventory.RESOURCE), problems.get(0));
            } finally {
                c.rollback();
            }
        }
    }

    @Test
    void a_listed_column_the_database_lacks_is_named_with_its_line(TestDatabase db) throws SQLException {
        DataInventory inventory = read(builtInText().replace("installation.singleton]", "installation.singleton, installation.motto]"));

        List<String> problems = problems(db, inventory, InventoryCheck.mapping());

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).matches("test-inventory\\.yaml:\\d+: lists installation\\.motto, which the database does not have"),
            problems.get(0));
    }

    @Test
    void a_field_listed_as_encrypted_whose_attribute_is_not_declared_encrypted_is_refused(TestDatabase db) throws SQLException {
        List<String> problems = problems(db, DataInventory.builtIn(), InventoryCheck.mapping(SessionWithPlainEmail.class));

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).endsWith("identity_session.email is listed as encrypted but SessionWithPlainEmail.email"
            + " is not declared @Encrypted, so it would be stored in plaintext"), problems.get(0));
    }

    @Test
    void an_attribute_declared_encrypted_must_be_listed_as_encrypted(TestDatabase db) throws SQLException {
        List<String> problems = problems(db, DataInventory.builtIn(), InventoryCheck.mapping(SessionWithSealedUsername.class));

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).endsWith("identity_session.username is listed as plaintext but SessionWithSealedUsername.username"
            + " is declared @Encrypted; list it as encrypted"), problems.get(0));
    }

    @Test
    void a_field_listed_as_encrypted_in_a_column_that_cannot_hold_ciphertext_is_refused(TestDatabase db) throws SQLException {
        String text = builtInText()
            .replace("installation.last_started_version, installation.singleton]", "installation.singleton]")
            .replace("  - name: Sign-in sessions\n", """
                  - name: Version
                    purpose: p
                    in-transit: t
                    retention: installation
                    fields:
                      - columns: [installation.last_started_version]
                        what: w
                        confidential: true
                        at-rest: encrypted

                  - name: Sign-in sessions
                """);

        List<String> problems = problems(db, read(text), List.of());

        assertEquals(List.of(), problems.stream().filter(p -> !p.contains("installation.last_started_version")).toList());
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).endsWith("installation.last_started_version is listed as encrypted but its column holds"
            + " character varying, not bytes (bytea)"), problems.get(0));
    }

    @Test
    void a_confidential_field_in_plaintext_is_an_error_naming_the_line() {
        String text = builtInText().replace("""
                    what: The ID token Keycloak issued at sign-in, sent back to Keycloak at sign-out.
                    confidential: true
                    at-rest: encrypted""".indent(8), """
                    what: The ID token Keycloak issued at sign-in, sent back to Keycloak at sign-out.
                    confidential: true
                    at-rest: plaintext""".indent(8));

        PolicyException e = assertThrows(PolicyException.class, () -> read(text));

        assertTrue(e.getMessage().matches("test-inventory\\.yaml:\\d+: identity_session\\.id_token: a confidential field cannot be"
            + " stored in plaintext"), e.getMessage());
    }

    @Test
    void a_column_listed_twice_unknown_keys_and_undefined_retention_classes_are_errors_naming_the_line() {
        PolicyException twice = assertThrows(PolicyException.class,
            () -> read(builtInText().replace("[identity_session.token_hash]", "[identity_session.token_hash, installation.id]")));
        PolicyException unknownKey = assertThrows(PolicyException.class,
            () -> read(builtInText().replace("    retention: token\n", "    retention: token\n    owner: security\n")));
        PolicyException retention = assertThrows(PolicyException.class,
            () -> read(builtInText().replace("    retention: token\n", "    retention: forever\n")));

        assertTrue(twice.getMessage().matches("test-inventory\\.yaml:\\d+: installation\\.id is already listed at test-inventory"
            + "\\.yaml:\\d+"), twice.getMessage());
        assertTrue(unknownKey.getMessage().contains("unknown key 'owner' in each data class in 'data-classes'"), unknownKey.getMessage());
        assertTrue(retention.getMessage().contains("retention class 'forever' is not defined"), retention.getMessage());
    }

    /**
     * SECURITY.md's "What we store" section is the inventory's rendering. After editing the
     * inventory, run this test with {@code -Dmainstay.write-docs=true} to regenerate the section.
     */
    @Test
    void security_md_shows_the_inventory() throws IOException {
        String document = Files.readString(SECURITY_MD, StandardCharsets.UTF_8);
        String expected = InventoryTable.replaceSection(document, InventoryTable.markdown(DataInventory.builtIn()));
        if (Boolean.getBoolean("mainstay.write-docs") && !expected.equals(document)) {
            Files.writeString(SECURITY_MD, expected, StandardCharsets.UTF_8);
            document = expected;
        }

        assertEquals(expected, document, "SECURITY.md's \"What we store\" section differs from policies/data-inventory.yaml;"
            + " run DataInventoryTest with -Dmainstay.write-docs=true to regenerate it");
    }

    private static List<String> problems(TestDatabase db, DataInventory inventory, List<InventoryCheck.MappedColumn> mapping)
        throws SQLException {
        try (Connection c = db.connect()) {
            return InventoryCheck.problems(inventory, InventoryCheck.schema(c), mapping);
        }
    }

    private static DataInventory read(String text) {
        return DataInventory.read("test-inventory.yaml", new StringReader(text));
    }

    private static String builtInText() {
        try (InputStream in = DataInventory.class.getClassLoader().getResourceAsStream(DataInventory.RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
