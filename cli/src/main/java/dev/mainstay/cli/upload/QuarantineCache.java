package dev.mainstay.cli.upload;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code --quarantine-cache FILE}: the last quarantine list the appliance sent, kept so that a short
 * outage does not turn CI red. The copy is signed with HMAC-SHA256 under a key derived from the API
 * token, so whoever can write the CI cache but does not hold the token cannot quarantine a test by
 * editing it; and it expires ({@code --quarantine-cache-hours}, 24 by default) so an outage does not
 * keep an old list in force for long. A copy for another appliance or repository is not used.
 */
final class QuarantineCache {

    static final String FORMAT = "mainstay-quarantine-cache/1";
    static final Duration DEFAULT_LIFETIME = Duration.ofHours(24);

    private static final JsonFactory JSON = new JsonFactory();

    private QuarantineCache() {
    }

    /**
     * A cached list.
     *
     * @param url       the list's address
     * @param fetchedAt when the appliance last confirmed it
     * @param expiresAt when it stops being used
     * @param etag      the appliance's ETag for it
     * @param body      the appliance's answer
     */
    record Copy(URI url, Instant fetchedAt, Instant expiresAt, String etag, String body) {
    }

    /** Why a cache file cannot be used. */
    static final class Unusable extends Exception {
        Unusable(String why) {
            super(why);
        }
    }

    /** Writes {@code copy} to {@code file}, signed, replacing it whole (never a half-written file). */
    static void write(Path file, Copy copy, String token) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".quarantine-", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temp); JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
                json.writeStartObject();
                json.writeStringField("format", FORMAT);
                json.writeStringField("url", copy.url().toString());
                json.writeStringField("fetched_at", copy.fetchedAt().toString());
                json.writeStringField("expires_at", copy.expiresAt().toString());
                json.writeStringField("etag", copy.etag());
                json.writeStringField("list", copy.body());
                json.writeStringField("signature", sign(copy, token));
                json.writeEndObject();
            }
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * The copy in {@code file}, checked: signed with {@code token}, of {@code url}, not expired at {@code now}.
     *
     * @throws Unusable saying why it cannot be used (missing, unreadable, tampered with, expired, another list)
     */
    static Copy read(Path file, URI url, String token, Instant now) throws Unusable {
        Map<String, String> fields;
        try {
            fields = JsonFields.read(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new Unusable("there is no cached copy yet (" + file + ")");
        } catch (IOException e) {
            throw new Unusable(file + " cannot be read as a quarantine cache: " + e.getMessage());
        }
        if (!FORMAT.equals(fields.get("format"))) {
            throw new Unusable(file + " is not a quarantine cache of this CLI's format");
        }
        Copy copy;
        try {
            copy = new Copy(URI.create(fields.getOrDefault("url", "")), Instant.parse(fields.getOrDefault("fetched_at", "")),
                Instant.parse(fields.getOrDefault("expires_at", "")), fields.getOrDefault("etag", ""), fields.getOrDefault("list", ""));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new Unusable(file + " is damaged: " + e.getMessage());
        }
        byte[] expected = sign(copy, token).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, fields.getOrDefault("signature", "").getBytes(StandardCharsets.US_ASCII))) {
            throw new Unusable(file + " is not signed with this token: it was changed, or written with another token");
        }
        if (!copy.url().equals(url)) {
            throw new Unusable(file + " holds the list of " + copy.url() + ", not of " + url);
        }
        if (!now.isBefore(copy.expiresAt())) {
            throw new Unusable("the cached copy expired at " + copy.expiresAt() + " (fetched " + copy.fetchedAt() + ")");
        }
        return copy;
    }

    /** HMAC-SHA256 over every field, under a key derived from the token (the token itself never is the key). */
    static String sign(Copy copy, String token) {
        try {
            byte[] key = MessageDigest.getInstance("SHA-256").digest((FORMAT + "\n" + token).getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            String signed = String.join("\n", FORMAT, copy.url().toString(), copy.fetchedAt().toString(), copy.expiresAt().toString(),
                copy.etag(), copy.body());
            return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA-256 or HmacSHA256", e);
        }
    }
}
