package dev.mainstay.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mainstay.testkit.MainstayDatabase;
import dev.mainstay.testkit.SyslogCollector;
import dev.mainstay.testkit.TempDirs;
import dev.mainstay.testkit.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** Delivering the trail to a SIEM, at least once, from a persisted cursor: a JSON Lines file and syslog over TLS. */
@MainstayDatabase
class SiemExporterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final Pattern SYSLOG = Pattern.compile(
        "<(\\d+)>1 (\\S+) appliance-7 mainstay - (\\S+) - (\\{.*})");

    @Test
    void the_file_sink_gets_every_event_once_in_order_across_batches_and_restarts(TestDatabase db) throws Exception {
        Trail trail = new Trail(db).append(5);
        Path file = TempDirs.create("mainstay-siem-").resolve("siem").resolve("audit.jsonl");

        assertEquals(3, run(trail, new JsonLinesSink(file), 3));
        assertEquals(2, run(trail, new JsonLinesSink(file), 3), "the next batch starts after the cursor");
        assertEquals(0, run(trail, new JsonLinesSink(file), 3), "nothing new, nothing sent");
        trail.append(2);
        assertEquals(2, run(trail, new JsonLinesSink(file), 100), "a new sink instance (a restart) resumes at the stored cursor");

        List<String> lines = Files.readAllLines(file);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), lines.stream().map(l -> read(l).path("seq").asLong()).toList());
        JsonNode first = read(lines.get(0));
        assertEquals("token.create", first.path("action").asText());
        assertEquals(Hashes.hex(Hashes.GENESIS), first.path("prevHash").asText(), "each line carries the chain, so a SIEM can check it");
        assertEquals(7, cursor(trail, "siem:file"));
    }

    @Test
    void a_failed_delivery_moves_nothing_and_is_sent_again(TestDatabase db) throws Exception {
        Trail trail = new Trail(db).append(4);
        Path dir = TempDirs.create("mainstay-siem-fail-");
        Path blocked = Files.createDirectories(dir.resolve("audit.jsonl"));

        assertThrows(IOException.class, () -> run(trail, new JsonLinesSink(blocked), 10), "a directory where the file should be");
        assertEquals(0, cursor(trail, "siem:file"));

        Files.delete(blocked);
        assertEquals(4, run(trail, new JsonLinesSink(blocked), 10));
        assertEquals(4, Files.readAllLines(blocked).size());
    }

    @Test
    void syslog_over_tls_sends_rfc5424_messages_and_resends_after_the_collector_fails(TestDatabase db) throws Exception {
        Trail trail = new Trail(db).append(3);
        try (SyslogCollector collector = SyslogCollector.start()) {
            SyslogTlsSink sink = new SyslogTlsSink("localhost", collector.port(), "appliance-7", trusting(collector.certificate()));
            assertEquals(3, run(trail, sink, 100));
            List<String> received = collector.await(3, Duration.ofSeconds(10));
            assertEquals(3, received.size(), received.toString());
            Matcher m = SYSLOG.matcher(received.get(0));
            assertTrue(m.matches(), received.get(0));
            assertEquals(Integer.toString(13 * 8 + 5), m.group(1), "facility log audit, severity notice for a success");
            assertEquals(Canonical.time(Trail.time(1)), m.group(2));
            assertEquals("token.create", m.group(3));
            assertEquals(1, read(m.group(4)).path("seq").asLong());
            sink.close();

            trail.append(2);
            collector.dropConnectionsAfter(0);
            SyslogTlsSink restarted = new SyslogTlsSink("localhost", collector.port(), "appliance-7", trusting(collector.certificate()));
            IOException failed = assertThrows(IOException.class, () -> run(trail, restarted, 100));
            assertTrue(failed.getMessage().startsWith("syslog collector localhost:" + collector.port()), failed.getMessage());
            assertEquals(3, cursor(trail, "siem:syslog"), "nothing moved");

            collector.stopDropping();
            assertEquals(2, run(trail, restarted, 100), "sent again once the collector is back");
            List<Long> seqs = new ArrayList<>();
            for (String message : collector.await(5, Duration.ofSeconds(10))) {
                Matcher each = SYSLOG.matcher(message);
                assertTrue(each.matches(), message);
                seqs.add(read(each.group(4)).path("seq").asLong());
            }
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seqs);
            restarted.close();
        }
    }

    @Test
    void a_collector_whose_certificate_is_not_trusted_is_refused(TestDatabase db) throws Exception {
        Trail trail = new Trail(db).append(1);
        try (SyslogCollector collector = SyslogCollector.start(); SyslogCollector other = SyslogCollector.start()) {
            SyslogTlsSink sink = new SyslogTlsSink("localhost", collector.port(), "appliance-7", trusting(other.certificate()));
            assertThrows(IOException.class, () -> run(trail, sink, 10));
            assertEquals(List.of(), collector.messages());
            assertEquals(0, cursor(trail, "siem:syslog"));
        }
    }

    private static int run(Trail trail, SiemSink sink, int batch) throws SQLException, IOException {
        try (Connection c = trail.db.connect()) {
            c.setAutoCommit(false);
            return SiemExporter.run(c, sink, batch, NOW);
        }
    }

    private static long cursor(Trail trail, String source) throws SQLException {
        try (Connection c = trail.db.connect()) {
            return SiemExporter.cursor(c, source);
        }
    }

    private static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    /** A TLS client that trusts only {@code certificate}. */
    static SSLSocketFactory trusting(Path certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trust.setCertificateEntry("collector", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), null);
        return tls.getSocketFactory();
    }
}
