package dev.mainstay.platform.web;

import dev.mainstay.platform.app.ApplianceSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What a page tells a person to type on a CI runner to reach this appliance: the {@code --ca-cert}
 * option when the appliance serves a self-signed certificate (as {@code ./mainstay dev} does), so
 * that the first command someone copies works instead of failing on TLS.
 */
@ApplicationScoped
public class ClientHints {

    private final Optional<Path> selfSigned;

    ClientHints() {
        this(ApplianceSettings.from(ConfigProvider.getConfig()));
    }

    ClientHints(ApplianceSettings settings) {
        this.selfSigned = settings.behindTlsProxy() ? Optional.empty() : settings.tlsCertificate().filter(ClientHints::isSelfSigned);
    }

    /** {@code --ca-cert <file>} for a self-signed certificate, with a space before it; else empty. */
    public String caCertOption() {
        return selfSigned.map(p -> " --ca-cert " + p.toAbsolutePath()).orElse("");
    }

    /** {@code --cacert <file>} for curl, the same way. */
    public String curlCaCertOption() {
        return selfSigned.map(p -> " --cacert " + p.toAbsolutePath()).orElse("");
    }

    /** Whether the first certificate in {@code pem} is its own issuer; false when it cannot be read. */
    static boolean isSelfSigned(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
        } catch (IOException | CertificateException | ClassCastException e) {
            return false;
        }
    }
}
