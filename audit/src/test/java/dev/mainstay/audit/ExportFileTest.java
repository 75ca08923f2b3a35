package dev.mainstay.audit;

import static dev.mainstay.audit.AuditTrailTest.assertBroken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.testkit.MainstayDatabase;
import dev.mainstay.testkit.TempDirs;
import dev.mainstay.testkit.TestDatabase;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The self-verifying export: written from the database, checked with only the file and the public key. */
@MainstayDatabase
class ExportFileTest {

    private static Trail trail;
    private static Path dir;
    private static Path segment;
    private static List<String> lines;

    /** 30 events, checkpoints at 10 and 20; the export asks for events 12..17. */
    @BeforeAll
    static void export(TestDatabase db) throws Exception {
        trail = new Trail(db).append(10).checkpoint().append(10).checkpoint().append(10);
        dir = TempDirs.create("mainstay-audit-export-");
        segment = dir.resolve("segment.jsonl");
        try (Connection c = trail.db.connect(); Writer out = Files.newBufferedWriter(segment)) {
            ExportFile.Summary summary = ExportFile.write(c, trail.crypto, trail.signer, Trail.time(31), Trail.time(12), Trail.time(17), out);
            assertEquals(new ExportFile.Summary(10, 2, 11, 20), summary, "widened to the checkpoints at 10 and 20");
        }
        lines = Files.readAllLines(segment);
    }

    private static Verifier.Result verify(List<String> edited) throws IOException {
        return verify(edited, trail.signer.key().publicKey());
    }

    private static Verifier.Result verify(List<String> edited, PublicKey key) throws IOException {
        Path file = Files.createTempFile(dir, "edited", ".jsonl");
        Files.write(file, edited, StandardCharsets.UTF_8);
        return ExportFile.verify(file, key);
    }

    @Test
    void the_segment_starts_after_a_checkpoint_ends_on_one_and_verifies_alone() throws IOException {
        assertTrue(lines.getFirst().startsWith("{\"format\":\"mainstay-audit-export\",\"version\":1,"), lines.getFirst());
        assertTrue(lines.get(1).contains("\"type\":\"checkpoint\",\"number\":1,\"seq\":10"), lines.get(1));
        assertTrue(lines.getLast().contains("\"type\":\"checkpoint\",\"number\":2,\"seq\":20"), lines.getLast());
        Verifier.Result result = ExportFile.verify(segment, SigningKey.readPublic(publicKeyFile()));
        assertTrue(result.intact(), result.report());
        assertEquals(List.of(10L, 2L, 11L, 20L), List.of(result.events(), result.checkpoints(), result.firstSeq(), result.lastSeq()));
    }

    @Test
    void an_export_up_to_now_signs_a_checkpoint_over_the_unsigned_rows_first() throws Exception {
        Trail fresh = new Trail(trail.db.fresh()).append(4);
        Path file = dir.resolve("to-now.jsonl");
        try (Connection c = fresh.db.connect(); Writer out = Files.newBufferedWriter(file)) {
            assertEquals(new ExportFile.Summary(4, 1, 1, 4),
                ExportFile.write(c, fresh.crypto, fresh.signer, Trail.time(5), Trail.START.minusSeconds(60), Trail.time(5), out));
        }
        assertTrue(ExportFile.verify(file, fresh.signer.key().publicKey()).intact());
        assertEquals(List.of("1 4"), fresh.db.column("SELECT number || ' ' || seq FROM audit_checkpoint"));
    }

    @Test
    void rows_appended_after_the_export_signed_its_checkpoint_are_left_to_the_next_export() throws Exception {
        Trail live = new Trail(trail.db.fresh()).append(4);
        // As a running appliance would, the trail grows right after the export's checkpoint is signed.
        try (Connection c = live.db.connect(); Statement s = c.createStatement()) {
            s.execute("""
                CREATE FUNCTION append_after_checkpoint() RETURNS trigger AS $$
                DECLARE r audit_event;
                BEGIN
                  SELECT * INTO r FROM audit_event ORDER BY seq DESC LIMIT 1;
                  r.seq := r.seq + 1;
                  INSERT INTO audit_event SELECT r.*;
                  RETURN NEW;
                END $$ LANGUAGE plpgsql""");
            s.execute("CREATE TRIGGER append_after_checkpoint AFTER INSERT ON audit_checkpoint FOR EACH ROW"
                + " EXECUTE FUNCTION append_after_checkpoint()");
        }
        Path file = dir.resolve("while-appending.jsonl");
        try (Connection c = live.db.connect(); Writer out = Files.newBufferedWriter(file)) {
            assertEquals(new ExportFile.Summary(4, 1, 1, 4),
                ExportFile.write(c, live.crypto, live.signer, Trail.time(5), Trail.START.minusSeconds(60), Trail.time(9), out));
        }
        assertTrue(ExportFile.verify(file, live.signer.key().publicKey()).intact());
        assertEquals(List.of("5"), live.db.column("SELECT max(seq) FROM audit_event"), "the row appended meanwhile is stored");
    }

    @Test
    void an_edited_field_is_found() throws IOException {
        List<String> edited = new ArrayList<>(lines);
        edited.set(5, edited.get(5).replace("\"outcome\":\"success\"", "\"outcome\":\"failure\""));
        assertBroken(verify(edited), 14, "its contents do not match its hash");
    }

    @Test
    void a_deleted_line_is_found() throws IOException {
        List<String> edited = new ArrayList<>(lines);
        edited.remove(5);
        assertBroken(verify(edited), 14, "seq 14 missing: the row after seq 13 is seq 15");
    }

    @Test
    void swapped_lines_are_found() throws IOException {
        List<String> edited = new ArrayList<>(lines);
        Collections.swap(edited, 5, 6);
        assertBroken(verify(edited), 14, "seq 14 missing");
    }

    @Test
    void a_truncated_tail_is_found() throws IOException {
        assertBroken(verify(lines.subList(0, lines.size() - 3)), 18, "without a signed checkpoint covering it (tail truncated)");
    }

    @Test
    void a_forged_checkpoint_is_found() throws IOException {
        List<String> edited = new ArrayList<>(lines);
        String last = edited.getLast();
        edited.set(edited.size() - 1, last.replaceFirst("\"time\":\"[^\"]+\"", "\"time\":\"2020-01-01T00:00:00.000000Z\""));
        assertBroken(verify(edited), 20, "checkpoint 2's signature does not verify");
    }

    @Test
    void a_replayed_checkpoint_is_found() throws IOException {
        List<String> edited = new ArrayList<>(lines);
        edited.add(lines.get(1));
        assertBroken(verify(edited), 10, "checkpoint 1 follows checkpoint 2 (a replayed or reordered checkpoint)");
    }

    @Test
    void a_segment_checked_with_another_key_fails() throws IOException {
        SigningKey other = SigningKey.generate(trail.crypto);
        assertBroken(verify(lines, other.publicKey()), 10, "not by the given public key " + other.keyId());
    }

    @Test
    void a_file_that_is_not_an_export_or_has_a_bad_line_is_named() throws IOException {
        Verifier.Result notExport = verify(List.of("{\"hello\":1}"));
        assertTrue(notExport.problem().contains("is not a Mainstay audit export"), notExport.report());

        List<String> edited = new ArrayList<>(lines);
        edited.set(3, "{\"type\":\"event\",\"seq\":\"twelve\"}");
        Verifier.Result bad = verify(edited);
        assertTrue(bad.problem().equals("line 4: 'seq' is missing or not an integer"), bad.report());
        edited.set(3, "{not json");
        assertTrue(verify(edited).problem().startsWith("line 4: not valid JSON"), verify(edited).report());
    }

    @Test
    void the_signing_key_file_round_trips_and_must_be_private() throws IOException {
        Path file = dir.resolve("signing-" + System.nanoTime() + ".pem");
        trail.signer.key().write(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        SigningKey read = SigningKey.read(file, trail.crypto);
        assertEquals(trail.signer.key().keyId(), read.keyId());
        assertEquals(trail.signer.key().publicKey(), SigningKey.readPublic(file), "a signing key file also serves as a public key file");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SigningKey.read(file, trail.crypto));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    /** Where the committed export and its public key live: the fuzz test's seeds and a compatibility check. */
    static final Path SEEDS = Path.of("src", "test", "resources", "dev", "mainstay", "audit", "ExportFileFuzzTestInputs",
        "any_input_is_reported_intact_or_broken_with_a_reason");
    static final Path SEED_KEY = Path.of("src", "test", "resources", "dev", "mainstay", "audit", "export-seed-public.pem");

    /**
     * An export written by an earlier build must still verify: auditors keep them for years. The
     * files are also the fuzz test's seeds. After a deliberate format change, run this test with
     * {@code -Dmainstay.write-seeds=true} to write them afresh.
     */
    @Test
    void an_export_written_by_an_earlier_build_still_verifies_and_a_tampered_copy_does_not() throws IOException {
        if (Boolean.getBoolean("mainstay.write-seeds") && !trail.signer.key().publicKey().getAlgorithm().equals("EC")) {
            Files.createDirectories(SEEDS);
            Files.writeString(SEED_KEY, trail.signer.key().publicPem());
            Files.write(SEEDS.resolve("intact.jsonl"), lines, StandardCharsets.UTF_8);
            List<String> swapped = new ArrayList<>(lines);
            Collections.swap(swapped, 3, 4);
            Files.write(SEEDS.resolve("two-events-swapped.jsonl"), swapped, StandardCharsets.UTF_8);
            Files.write(SEEDS.resolve("header-only.jsonl"), lines.subList(0, 1), StandardCharsets.UTF_8);
        }
        PublicKey key = SigningKey.readPublic(SEED_KEY);
        Verifier.Result intact = ExportFile.verify(SEEDS.resolve("intact.jsonl"), key);
        assertTrue(intact.intact(), intact.report());
        assertEquals(10, intact.events());
        assertBroken(ExportFile.verify(SEEDS.resolve("two-events-swapped.jsonl"), key), 12, "seq 12 missing");
    }

    private static Path publicKeyFile() throws IOException {
        return Files.writeString(dir.resolve("audit-public-" + System.nanoTime() + ".pem"), trail.signer.key().publicPem());
    }
}
