package dev.mainstay.platform.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mainstay.testkit.MainstayDatabase;
import dev.mainstay.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Upgrading a database that holds sessions from before the e-mail blind index (schema version 7). */
@MainstayDatabase
class SessionMigrationTest {

    @Test
    void sessions_without_an_email_index_are_deleted_by_the_upgrade_so_it_succeeds(TestDatabase shared) throws SQLException {
        TestDatabase db = shared.freshAt("6");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO identity_session (id, token_hash, subject, username, display_name, email, acr, auth_time,"
                + " id_token, created_at, confirmed_at) VALUES (gen_random_uuid(), 'hash', 'subject', 'dana', '\\x01', '\\x01',"
                + " 'mfa', now(), '\\x01', now(), now())");
        }

        db.migrate();

        assertEquals(List.of("7"), db.column("SELECT version FROM flyway_schema_history WHERE version = '7' AND success"));
        assertEquals(List.of("0"), db.column("SELECT count(*) FROM identity_session"), "their holders sign in again");
    }
}
