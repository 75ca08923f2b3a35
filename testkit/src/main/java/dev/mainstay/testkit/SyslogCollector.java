package dev.mainstay.testkit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A syslog collector listening on TLS (RFC 5425: octet-counted RFC 5424 messages), as a SIEM's
 * receiver would, on a free port of localhost, with a certificate for {@code localhost} made by
 * the JDK's keytool. It keeps every message it receives, and can be told to drop connections
 * after a number of messages, to play a collector that fails mid-batch.
 */
public final class SyslogCollector implements AutoCloseable {

    private final SSLServerSocket server;
    private final Path certificate;
    private final List<String> messages = new ArrayList<>();
    private final AtomicInteger dropAfter = new AtomicInteger(Integer.MAX_VALUE);
    private final Thread acceptor;

    private SyslogCollector(SSLServerSocket server, Path certificate) {
        this.server = server;
        this.certificate = certificate;
        this.acceptor = new Thread(this::accept, "syslog-collector");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A collector with a fresh self-signed certificate for {@code localhost}. */
    public static SyslogCollector start() {
        try {
            Path dir = TempDirs.create("mainstay-syslog-");
            Path keystore = dir.resolve("collector.p12");
            Path certificate = dir.resolve("collector.pem");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            run(keytool, "-genkeypair", "-alias", "collector", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "collector");
            run(keytool, "-exportcert", "-rfc", "-alias", "collector", "-keystore", keystore.toString(), "-storepass", "collector",
                "-file", certificate.toString());
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, "collector".toCharArray());
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, "collector".toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keys.getKeyManagers(), null, null);
            SSLServerSocket server = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
            return new SyslogCollector(server, certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up the collector's TLS", e);
        }
    }

    private static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The port it listens on, at localhost. */
    public int port() {
        return server.getLocalPort();
    }

    /** The collector's certificate (PEM), for the sender to trust. */
    public Path certificate() {
        return certificate;
    }

    /** From now on, each connection is dropped after {@code n} more messages. */
    public void dropConnectionsAfter(int n) {
        dropAfter.set(n);
    }

    /** Accept connections again for good. */
    public void stopDropping() {
        dropAfter.set(Integer.MAX_VALUE);
    }

    /** The messages received so far, without their octet counts. */
    public synchronized List<String> messages() {
        return List.copyOf(messages);
    }

    /** Waits until at least {@code n} messages arrived, or {@code limit} passed; returns the messages. */
    public List<String> await(int n, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (messages().size() < n && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        return messages();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread reader = new Thread(() -> read(socket), "syslog-collector-connection");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void read(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream())) {
            int taken = 0;
            while (true) {
                if (taken >= dropAfter.get()) {
                    return;
                }
                int length = 0;
                int b;
                while ((b = in.read()) != ' ') {
                    if (b < 0) {
                        return;
                    }
                    if (b < '0' || b > '9') {
                        throw new IOException("not an octet count: byte " + b);
                    }
                    length = length * 10 + (b - '0');
                }
                byte[] message = in.readNBytes(length);
                if (message.length < length) {
                    return;
                }
                synchronized (this) {
                    messages.add(new String(message, StandardCharsets.UTF_8));
                }
                taken++;
            }
        } catch (IOException e) {
            // the sender went away; it reconnects for its next batch
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
