package dev.mainstay.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TotpTest {

    /** The SHA1 key of RFC 6238 appendix B, "12345678901234567890", in base32. */
    private static final String RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    @ParameterizedTest(name = "at {0} s the 8-digit code is {1}")
    @CsvSource({
        "59, 94287082",
        "1111111109, 07081804",
        "1111111111, 14050471",
        "1234567890, 89005924",
        "2000000000, 69279037",
        "20000000000, 65353130",
    })
    void codes_match_the_rfc_6238_sha1_test_vectors(long seconds, String expected) {
        byte[] key = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
        assertEquals(expected, Totp.code(key, Totp.timeStep(Instant.ofEpochSecond(seconds)), 8));
        assertEquals(expected.substring(2), Totp.code(RFC_SECRET, Instant.ofEpochSecond(seconds)),
            "the 6-digit code an authenticator app shows is the last six digits");
    }

    @Test
    void base32_as_keycloak_shows_it_in_groups_of_four_decodes_to_the_key() {
        assertArrayEquals("12345678901234567890".getBytes(StandardCharsets.US_ASCII),
            Totp.decodeBase32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"));
        assertEquals(RFC_SECRET, Totp.encodeBase32("12345678901234567890".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void a_secret_with_a_character_outside_base32_is_refused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Totp.decodeBase32("ABC1"));
        assertEquals("not a base32 character: '1' in ABC1", e.getMessage());
    }

    @Test
    void a_code_changes_with_each_thirty_second_step() {
        assertEquals(Totp.timeStep(Instant.ofEpochSecond(30)), Totp.timeStep(Instant.ofEpochSecond(59)));
        assertEquals(Totp.timeStep(Instant.ofEpochSecond(59)) + 1, Totp.timeStep(Instant.ofEpochSecond(60)));
    }
}
