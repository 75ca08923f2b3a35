package dev.mainstay.cli.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A private CA and a server certificate for {@code localhost} it signed, as inside a company
 * network, made fresh with the JDK's keytool once per test JVM (keytool is slow) in a temporary
 * folder removed when the JVM ends.
 *
 * @param caPem     the CA's certificate, PEM: what users pass to {@code --ca-cert}
 * @param serverTls the server side: the key and the chain up to the CA
 */
record PrivateCa(Path caPem, SSLContext serverTls) {

    private static final char[] PASSWORD = "changeit".toCharArray();
    private static PrivateCa made;

    static synchronized PrivateCa get() {
        if (made == null) {
            try {
                made = make();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException | InterruptedException e) {
                throw new IllegalStateException("could not make a private CA", e);
            }
        }
        return made;
    }

    private static PrivateCa make() throws IOException, GeneralSecurityException, InterruptedException {
        Path pki = Files.createTempDirectory("mainstay-cli-pki-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(pki)));
        keytool(pki, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Acme Private CA",
            "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12");
        keytool(pki, "-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
        keytool(pki, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
            "-validity", "2", "-keystore", "server.p12");
        keytool(pki, "-certreq", "-alias", "server", "-keystore", "server.p12", "-file", "server.csr");
        keytool(pki, "-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", "server.csr", "-outfile", "server.pem", "-rfc",
            "-ext", "SAN=dns:localhost", "-ext", "EKU=serverAuth", "-validity", "2");
        keytool(pki, "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "server.p12");
        keytool(pki, "-importcert", "-alias", "server", "-file", "server.pem", "-keystore", "server.p12");

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pki.resolve("server.p12"))) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        return new PrivateCa(pki.resolve("ca.pem"), tls);
    }

    private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass", new String(PASSWORD), "-storetype", "PKCS12"));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary folder left behind is harmless.
        }
    }
}
