package dev.mainstay.platform.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import dev.mainstay.platform.identity.SignedInAppliance;
import dev.mainstay.reports.bundle.UploadMetadata;
import dev.mainstay.testkit.BrowserFixture;
import dev.mainstay.testkit.KeycloakFixture;
import dev.mainstay.testkit.SurefireReports;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The appliance killed ({@code kill -9}) while an upload streams into its COPY: nothing of it is
 * left, and sending it again stores it once.
 */
@ExtendWith(BrowserFixture.class)
class UploadCrashTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void an_upload_cut_off_by_a_crash_leaves_nothing_and_succeeds_once_when_sent_again(BrowserContext context) throws Exception {
        SignedInAppliance appliance = SignedInAppliance.shared();
        String token = appliance.token(context, KeycloakFixture.shared(), "crash-test", "uploads:write");
        String repo = "acme/crash-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] bundle = UploadsApiTest.bundle(UploadMetadata.of(repo, "0123456789abcdef0123456789abcdef01234567"),
            SurefireReports.withExecutions(60_000, 7));
        String key = "crash-" + UUID.randomUUID();

        // Send two thirds of the body, then hold the rest back until the appliance is gone.
        CountDownLatch release = new CountDownLatch(1);
        int cut = bundle.length * 2 / 3;
        InputStream held = new InputStream() {
            private final ByteArrayInputStream head = new ByteArrayInputStream(bundle, 0, cut);

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = head.read(b, off, len);
                if (n > 0) {
                    return n;
                }
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("the sender gave up");
            }
        };
        CompletableFuture<HttpResponse<String>> cutOff = appliance.http().sendAsync(request(appliance, token, key,
            HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> held), bundle.length)),
            HttpResponse.BodyHandlers.ofString());

        awaitCopyInProgress(appliance);
        appliance.crashAndRestart();
        release.countDown();
        assertThrows(ExecutionException.class, () -> cutOff.get(60, TimeUnit.SECONDS), "the cut-off upload got no answer");

        assertEquals(List.of("0"), appliance.column("SELECT count(*) FROM test_execution WHERE repo = ?", repo),
            "no execution of the cut-off upload survives");
        assertEquals(List.of("0"), appliance.column("SELECT count(*) FROM ingest_upload WHERE idempotency_key = ?", key),
            "its idempotency key is not claimed");

        HttpResponse<String> resent = appliance.http().send(request(appliance, token, key, HttpRequest.BodyPublishers.ofByteArray(bundle)),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(201, resent.statusCode(), resent.body());
        JsonNode receipt = JSON.readTree(resent.body());
        assertEquals(60_000, receipt.get("attempts").asLong());
        HttpResponse<String> again = appliance.http().send(request(appliance, token, key, HttpRequest.BodyPublishers.ofByteArray(bundle)),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(List.of("60000"), appliance.column("SELECT count(*) FROM test_execution WHERE repo = ?", repo),
            "stored once, however often it was sent");
    }

    private static HttpRequest request(SignedInAppliance appliance, String token, String key, HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(URI.create(appliance.url("/api/v1/uploads"))).timeout(Duration.ofMinutes(2))
            .header("Authorization", "Bearer " + token).header("Idempotency-Key", key).header("Content-Type", "application/gzip")
            .POST(body).build();
    }

    /** Waits until the appliance's database runs the upload's COPY: the upload is half-written, inside its transaction. */
    private static void awaitCopyInProgress(SignedInAppliance appliance) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (!appliance.column("SELECT pid FROM pg_stat_activity WHERE query LIKE 'COPY test_execution%' AND state = 'active'").isEmpty()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the upload's COPY never started");
    }
}
