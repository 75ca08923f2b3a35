package dev.mainstay.cli.upload;

import dev.mainstay.cli.command.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** The TLS trust of uploads: the JDK's certificate authorities, plus a private CA's from {@code --ca-cert}. */
final class Tls {

    private Tls() {
    }

    /**
     * An SSL context that trusts the JDK's default authorities and every certificate in the PEM
     * file {@code caCert} (one or more {@code -----BEGIN CERTIFICATE-----} blocks).
     *
     * @throws UsageException when the file is missing, unreadable or holds no certificate
     */
    static SSLContext trusting(Path caCert, String given) throws UsageException {
        Collection<? extends Certificate> extra;
        try (InputStream in = Files.newInputStream(caCert)) {
            extra = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (NoSuchFileException e) {
            throw new UsageException("--ca-cert " + given + ": no such file");
        } catch (IOException | GeneralSecurityException e) {
            throw new UsageException("--ca-cert " + given + ": not a PEM certificate file (" + e.getMessage() + ")");
        }
        if (extra.isEmpty()) {
            throw new UsageException("--ca-cert " + given + ": holds no certificate; expected one or more -----BEGIN CERTIFICATE----- blocks");
        }
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int n = 0;
            for (X509Certificate jdk : defaultTrustManager().getAcceptedIssuers()) {
                anchors.setCertificateEntry("jdk-" + n++, jdk);
            }
            for (Certificate c : extra) {
                anchors.setCertificateEntry("ca-cert-" + n++, c);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the JDK could not build a trust store from its own authorities", e);
        }
    }

    private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (TrustManager m : factory.getTrustManagers()) {
            if (m instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("the JDK has no X.509 trust manager");
    }
}
