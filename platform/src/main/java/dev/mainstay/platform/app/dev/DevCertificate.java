package dev.mainstay.platform.app.dev;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.logging.Logger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The self-signed certificate {@code ./mainstay dev} serves HTTPS with: made with BouncyCastle on
 * first start under {@code <data-dir>/tls/} and reused after, so a browser exception or a
 * trust-store entry made once keeps working. Made again when it is within a month of expiry.
 */
public final class DevCertificate {

    private static final Logger LOG = Logger.getLogger(DevCertificate.class.getName());
    private static final Duration VALIDITY = Duration.ofDays(365);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private final Path certificate;
    private final Path privateKey;

    private DevCertificate(Path certificate, Path privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    /** The PEM certificate. */
    public Path certificate() {
        return certificate;
    }

    /** The PEM (PKCS#8) private key, readable by its owner only. */
    public Path privateKey() {
        return privateKey;
    }

    /**
     * Returns the certificate under {@code directory}, creating it if it is missing, unreadable
     * or about to expire.
     */
    public static DevCertificate ensure(Path directory, Clock clock) {
        Path cert = directory.resolve("cert.pem");
        Path key = directory.resolve("key.pem");
        Instant now = clock.instant();
        if (Files.isReadable(cert) && Files.isReadable(key) && validUntil(cert).isAfter(now.plus(RENEW_BEFORE))) {
            return new DevCertificate(cert, key);
        }
        try {
            Files.createDirectories(directory);
            create(cert, key, now);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the dev TLS certificate under " + directory, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Could not create the dev TLS certificate", e);
        }
        LOG.info(() -> "Created a self-signed certificate for localhost: " + cert);
        return new DevCertificate(cert, key);
    }

    private static Instant validUntil(Path cert) {
        try (Reader r = Files.newBufferedReader(cert); PEMParser parser = new PEMParser(r)) {
            Object pem = parser.readObject();
            return pem instanceof X509CertificateHolder holder ? holder.getNotAfter().toInstant() : Instant.EPOCH;
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    private static void create(Path cert, Path key, Instant now)
        throws IOException, GeneralSecurityException, OperatorCreationException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, new SecureRandom());
        KeyPair pair = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=localhost, O=Mainstay dev mode");
        GeneralNames names = new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"),
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
            new GeneralName(GeneralName.iPAddress, "::1"),
            new GeneralName(GeneralName.dNSName, hostName()),
        });
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
            new BigInteger(128, new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
            Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectAlternativeName, false, names);
        X509Certificate certificate = new JcaX509CertificateConverter()
            .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));

        Path tmpKey = Files.createTempFile(key.getParent(), "key", ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer w = Files.newBufferedWriter(tmpKey); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new JcaPKCS8Generator(pair.getPrivate(), null));
        }
        Path tmpCert = Files.createTempFile(cert.getParent(), "cert", ".tmp");
        try (Writer w = Files.newBufferedWriter(tmpCert); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(certificate);
        }
        Files.move(tmpKey, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmpCert, cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.setPosixFilePermissions(cert, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
