package dev.mainstay.platform;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** TLS for outbound calls that trust an enterprise's private CA besides the JDK's trusted CAs. */
public final class TrustedCas {

    private TrustedCas() {
    }

    /**
     * An SSL context that trusts the JDK's CAs and, when {@code ca} is set, the certificates in that PEM file.
     *
     * @param key the setting that names {@code ca}, for the error message
     * @throws IllegalArgumentException naming {@code key} and the file when it cannot be read or holds no certificate
     */
    public static SSLContext sslContext(String key, Optional<Path> ca) {
        try {
            if (ca.isEmpty()) {
                return SSLContext.getDefault();
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int n = 0;
            TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jdk.init((KeyStore) null);
            for (TrustManager manager : jdk.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    for (X509Certificate issuer : x509.getAcceptedIssuers()) {
                        trust.setCertificateEntry("jdk-" + n++, issuer);
                    }
                }
            }
            Collection<? extends Certificate> added;
            try (InputStream in = Files.newInputStream(ca.get())) {
                added = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (added.isEmpty()) {
                throw new IllegalArgumentException(key + ": " + ca.get() + " holds no certificate");
            }
            for (Certificate certificate : added) {
                trust.setCertificateEntry("ca-" + n++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(key + ": " + ca.map(Path::toString).orElse("the JDK's trust store")
                + " cannot be read as PEM certificates: " + e.getMessage(), e);
        }
    }
}
