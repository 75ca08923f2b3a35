package dev.mainstay.platform.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sealing and opening Mainstay's cookies with AES-256-GCM under a key derived from
 * {@code mainstay.session.secret}, which every replica shares: a cookie made by one replica
 * opens on any other, and a cookie edited by anyone fails to open. Also derives the per-session
 * anti-CSRF token.
 *
 * <p>Cookies are {@code __Host-} prefixed: the browser only accepts them over HTTPS, for path
 * {@code /}, without a Domain, so no sibling host can plant or read them.
 */
@ApplicationScoped
public class SessionCookies {

    /** The session cookie: a random session token and Keycloak's refresh token, sealed. */
    static final String SESSION = "__Host-mainstay-session";
    /** The sign-in cookie: state, nonce and PKCE verifier of a sign-in in progress, sealed. */
    static final String SIGN_IN = "__Host-mainstay-sign-in";

    private static final String FORMAT = "v1.";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec cookieKey;
    private final byte[] csrfKey;

    @Inject
    SessionCookies(IdentitySettings settings) {
        byte[] secret = settings.sessionSecret()
            .orElseThrow(() -> new IllegalStateException(IdentitySettings.SESSION_SECRET + " is not set"))
            .getBytes(StandardCharsets.UTF_8);
        this.cookieKey = new SecretKeySpec(hmac(secret, "mainstay/cookie/v1"), "AES");
        this.csrfKey = hmac(secret, "mainstay/csrf/v1");
    }

    /** Encrypts and authenticates {@code plaintext} for the cookie {@code name}. */
    String seal(String name, String plaintext) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, cookieKey, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(name.getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[IV_BYTES + sealed.length];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return FORMAT + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /** Opens a cookie sealed for {@code name}; empty when it was altered, forged or sealed with another secret. */
    Optional<String> open(String name, String value) {
        if (value == null || !value.startsWith(FORMAT)) {
            return Optional.empty();
        }
        try {
            byte[] in = Base64.getUrlDecoder().decode(value.substring(FORMAT.length()));
            if (in.length <= IV_BYTES) {
                return Optional.empty();
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, cookieKey, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(name.getBytes(StandardCharsets.US_ASCII));
            return Optional.of(new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /** A {@code Set-Cookie} value for {@code name}. */
    static String setCookie(String name, String value, Duration maxAge) {
        return name + "=" + value + "; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=" + maxAge.toSeconds();
    }

    /** A {@code Set-Cookie} value that deletes {@code name}. */
    static String clearCookie(String name) {
        return name + "=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0";
    }

    /** The anti-CSRF token for a session token: derived, so nothing extra is stored. */
    String csrfToken(String sessionToken) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(csrfKey, sessionToken));
    }

    /** A random URL-safe token of 256 bits. */
    String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Constant-time comparison of two tokens. */
    static boolean same(String a, String b) {
        return a != null && b != null
            && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** Hex SHA-256, the form in which session and API tokens are stored. */
    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
