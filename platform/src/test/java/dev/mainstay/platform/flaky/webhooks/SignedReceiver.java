package dev.mainstay.platform.flaky.webhooks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A webhook receiver as a chat bridge runs one: HTTPS with a certificate from the enterprise's
 * private CA (the test appliance's), on loopback. It records every request and answers 500 to the
 * first attempt of each delivery (by {@code X-Mainstay-Delivery}) and 200 to the next, so a test
 * sees the retry.
 */
final class SignedReceiver implements AutoCloseable {

    /**
     * One request as received.
     *
     * @param delivery  X-Mainstay-Delivery
     * @param event     X-Mainstay-Event
     * @param timestamp X-Mainstay-Timestamp
     * @param signature X-Mainstay-Signature
     * @param body      the body, as sent
     * @param answered  the status it was answered with
     */
    record Received(String delivery, String event, String timestamp, String signature, String body, int answered) {

        /** Whether the signature is the HMAC-SHA256 of {@code <timestamp>.<body>} under {@code secret}, compared in constant time. */
        boolean signedWith(String secret) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                byte[] expected = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
                return signature != null && signature.startsWith("sha256=")
                    && MessageDigest.isEqual(expected, HexFormat.of().parseHex(signature.substring("sha256=".length())));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                return false;
            }
        }
    }

    private static final char[] PASSWORD = "receiver".toCharArray();

    private final HttpsServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

    /** Starts a receiver serving {@code caDirectory}'s {@code cert.pem} and {@code key.pem} (a localhost certificate). */
    SignedReceiver(Path caDirectory) throws IOException, GeneralSecurityException {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls(caDirectory)));
        server.createContext("/", this::handle);
        server.start();
    }

    /** The URL deliveries to {@code path} go to. */
    String url(String path) {
        return "https://localhost:" + server.getAddress().getPort() + path;
    }

    /** Everything received so far that {@code which} accepts; waits up to 30 s for at least {@code count} of them. */
    List<Received> await(int count, Predicate<Received> which) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<Received> matching = received.stream().filter(which).toList();
            if (matching.size() >= count) {
                return matching;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the receiver got " + matching.size() + " of " + count + " expected requests within 30 s; all: "
                    + received);
            }
            Thread.sleep(100);
        }
    }

    /** Everything received so far that {@code which} accepts. */
    List<Received> received(Predicate<Received> which) {
        return new ArrayList<>(received.stream().filter(which).toList());
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String delivery = exchange.getRequestHeaders().getFirst("X-Mainstay-Delivery");
        int status = delivery != null && failedOnce.add(delivery) ? 500 : 200;
        received.add(new Received(delivery, exchange.getRequestHeaders().getFirst("X-Mainstay-Event"),
            exchange.getRequestHeaders().getFirst("X-Mainstay-Timestamp"), exchange.getRequestHeaders().getFirst("X-Mainstay-Signature"),
            new String(body, StandardCharsets.UTF_8), status));
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private static SSLContext tls(Path caDirectory) throws IOException, GeneralSecurityException {
        String pem = Files.readString(caDirectory.resolve("key.pem"));
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        List<Certificate> chain = new ArrayList<>();
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        for (String file : List.of("cert.pem", "ca.pem")) {
            try (InputStream in = Files.newInputStream(caDirectory.resolve(file))) {
                chain.addAll(x509.generateCertificates(in));
            }
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("receiver", key, PASSWORD, chain.toArray(Certificate[]::new));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
