package dev.mainstay.cli.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.cli.CliRun;
import dev.mainstay.cli.Corpus;
import dev.mainstay.cli.upload.RecordingServer.Answer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An appliance whose certificate a private CA signed ({@link PrivateCa}), as inside a company network.
 */
class TlsTest {

    @TempDir
    Path dir;

    private CliRun.Result upload(RecordingServer server, String... more) throws IOException {
        Files.copy(Corpus.file("junit/dorny/jest-junit.xml"), dir.resolve("TEST-a.xml"));
        List<String> args = new ArrayList<>(List.of("upload", "--url", server.url("localhost"), "--junit", "TEST-a.xml",
            "--repo", "acme/shop", "--commit", UploadHttpTest.SHA, "--retries", "0"));
        args.addAll(List.of(more));
        return CliRun.in(dir).env("MAINSTAY_TOKEN", UploadHttpTest.TOKEN).run(args.toArray(String[]::new));
    }

    @Test
    void with_ca_cert_the_private_ca_is_trusted() throws Exception {
        try (RecordingServer server = RecordingServer.https(PrivateCa.get().serverTls()).answering(Answer.json(201, UploadHttpTest.CREATED))) {
            CliRun.Result r = upload(server, "--ca-cert", PrivateCa.get().caPem().toString());
            assertEquals(0, r.code(), r.both());
            assertEquals(1, server.requests().size());
            assertTrue(r.out().startsWith("mainstay: uploaded 1 report as upload 8d0c5e1a"), r.out());
        }
    }

    @Test
    void without_ca_cert_the_certificate_is_refused_naming_the_file_to_pass() throws Exception {
        try (RecordingServer server = RecordingServer.https(PrivateCa.get().serverTls()).answering(Answer.json(201, UploadHttpTest.CREATED))) {
            CliRun.Result r = upload(server);
            assertEquals(3, r.code(), r.both());
            assertEquals(0, server.requests().size(), "nothing reached the server");
            String last = r.err().lines().reduce((a, b) -> b).orElse("");
            assertTrue(last.startsWith("mainstay: the certificate of " + server.url("localhost") + " is not trusted ("), r.err());
            assertTrue((last + "\n").endsWith("); pass the CA certificate that signed it with --ca-cert FILE; for an appliance that"
                + " ./mainstay dev runs, that is --ca-cert <data-dir>/tls/cert.pem (by default .mainstay-dev/tls/cert.pem in the checkout"
                + " that runs it)\n"), "the option and, for a dev appliance, the file: " + r.err());
        }
    }

    @Test
    void the_file_the_message_names_is_taken_relative_to_the_checkout() throws Exception {
        Path devCert = dir.resolve(".mainstay-dev/tls/cert.pem");
        Files.createDirectories(devCert.getParent());
        Files.copy(PrivateCa.get().caPem(), devCert);
        try (RecordingServer server = RecordingServer.https(PrivateCa.get().serverTls()).answering(Answer.json(201, UploadHttpTest.CREATED))) {
            CliRun.Result r = upload(server, "--ca-cert", ".mainstay-dev/tls/cert.pem");
            assertEquals(0, r.code(), "the option as the message spells it works from the checkout: " + r.both());
            assertEquals(1, server.requests().size());
        }
    }

    @Test
    void a_ca_cert_file_without_certificates_is_a_usage_error() throws Exception {
        Files.writeString(dir.resolve("empty.pem"), "");
        try (RecordingServer server = RecordingServer.https(PrivateCa.get().serverTls())) {
            CliRun.Result r = upload(server, "--ca-cert", "empty.pem");
            assertEquals(2, r.code(), r.both());
            assertTrue(r.err().startsWith("mainstay: --ca-cert empty.pem: "), r.err());
        }
    }
}
