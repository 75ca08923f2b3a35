package dev.mainstay.platform.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.platform.app.dev.DevCertificate;
import dev.mainstay.testkit.PrivateCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code --ca-cert} hint pages give is needed, and given, only for a self-signed certificate. */
class ClientHintsTest {

    @TempDir
    Path dir;

    @Test
    void the_dev_certificate_is_self_signed_so_pages_name_it_for_ca_cert() {
        DevCertificate dev = DevCertificate.ensure(dir.resolve("tls"), Clock.systemUTC());
        assertTrue(ClientHints.isSelfSigned(dev.certificate()), "./mainstay dev's certificate is its own issuer");
    }

    @Test
    void a_certificate_from_a_private_ca_or_an_unreadable_file_is_not_named() throws Exception {
        PrivateCa ca = PrivateCa.issue(dir.resolve("ca"));
        assertFalse(ClientHints.isSelfSigned(ca.serverCertificate()), "the CA's certificate is what to pass, which Mainstay does not hold");
        Path garbage = Files.writeString(dir.resolve("not.pem"), "not a certificate");
        assertFalse(ClientHints.isSelfSigned(garbage));
    }
}
