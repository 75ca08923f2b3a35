package dev.mainstay.platform.auditing;

import dev.mainstay.audit.JsonLinesSink;
import dev.mainstay.audit.SiemSink;
import dev.mainstay.audit.SyslogTlsSink;
import dev.mainstay.platform.ConfigValues;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.microprofile.config.Config;

/**
 * Where the audit trail is delivered for a SIEM: a JSON Lines file, a syslog collector over TLS,
 * both, or neither (the default).
 *
 * @param file           JSON Lines file to append to
 * @param syslogHost     syslog collector's host name (TLS, RFC 5425)
 * @param syslogPort     its port
 * @param syslogCa       PEM file of the certificates to trust for the collector; else the JDK's trust store
 * @param syslogHostname the HOSTNAME field of each message
 * @param interval       how often new events are delivered
 */
public record SiemSettings(Optional<Path> file, Optional<String> syslogHost, String syslogPort, Optional<Path> syslogCa,
                           String syslogHostname, Duration interval) {

    public static final String FILE = "mainstay.audit.siem.file";
    public static final String SYSLOG_HOST = "mainstay.audit.siem.syslog.host";
    public static final String SYSLOG_PORT = "mainstay.audit.siem.syslog.port";
    public static final String SYSLOG_CA = "mainstay.audit.siem.syslog.ca";
    public static final String SYSLOG_HOSTNAME = "mainstay.audit.siem.syslog.hostname";
    public static final String INTERVAL = "mainstay.audit.siem.interval";

    /** Read from {@code config}; {@link #problems()} says whether usable. */
    public static SiemSettings from(Config config) {
        return new SiemSettings(ConfigValues.text(config, FILE).map(Path::of), ConfigValues.text(config, SYSLOG_HOST),
            ConfigValues.text(config, SYSLOG_PORT).orElse("6514"), ConfigValues.text(config, SYSLOG_CA).map(Path::of),
            ConfigValues.text(config, SYSLOG_HOSTNAME).orElseGet(SiemSettings::localHostName),
            ConfigValues.text(config, INTERVAL).map(ConfigValues::duration).orElse(Duration.ofSeconds(10)));
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "-";
        }
    }

    /** What must be fixed; each problem names its key. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        int port = port();
        if (syslogHost.isPresent() && (port < 1 || port > 65535)) {
            problems.add(SYSLOG_PORT + " must be a port number from 1 to 65535, not '" + syslogPort + "'");
        }
        if (syslogCa.isPresent() && syslogHost.isEmpty()) {
            problems.add(SYSLOG_CA + " is set but " + SYSLOG_HOST + " is not");
        }
        if (syslogCa.isPresent() && !Files.isReadable(syslogCa.get())) {
            problems.add(SYSLOG_CA + ": " + syslogCa.get() + " cannot be read");
        }
        if (interval.compareTo(Duration.ofSeconds(1)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
            problems.add(INTERVAL + " must be a duration from 1s to 1h, e.g. 10s or PT1M");
        }
        return problems;
    }

    private int port() {
        try {
            return Integer.parseInt(syslogPort.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The configured sinks. */
    public List<SiemSink> sinks() {
        List<SiemSink> sinks = new ArrayList<>();
        file.ifPresent(f -> sinks.add(new JsonLinesSink(f)));
        syslogHost.ifPresent(host -> sinks.add(new SyslogTlsSink(host, port(), syslogHostname, tls())));
        return sinks;
    }

    private SSLSocketFactory tls() {
        if (syslogCa.isEmpty()) {
            return (SSLSocketFactory) SSLSocketFactory.getDefault();
        }
        try (InputStream in = Files.newInputStream(syslogCa.get())) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException(SYSLOG_CA + ": " + syslogCa.get() + " holds no certificate");
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int n = 0;
            for (Certificate certificate : certificates) {
                trust.setCertificateEntry("ca-" + n++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(SYSLOG_CA + ": " + syslogCa.get() + " cannot be read as PEM certificates: "
                + e.getMessage(), e);
        }
    }
}
