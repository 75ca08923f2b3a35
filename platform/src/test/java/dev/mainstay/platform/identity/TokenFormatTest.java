package dev.mainstay.platform.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenFormatTest {

    @Test
    void a_token_is_recognisable_and_carries_a_valid_checksum() {
        String token = TokenFormat.generate();
        assertTrue(token.matches("msy_[0-9A-Za-z]{38}"), token);
        assertTrue(TokenFormat.isWellFormed(token));
        assertNotEquals(token, TokenFormat.generate(), "each token is new randomness");
    }

    @Test
    void a_mistyped_or_truncated_token_fails_the_checksum() {
        String token = TokenFormat.generate();
        char changed = token.charAt(10) == 'a' ? 'b' : 'a';
        String typo = token.substring(0, 10) + changed + token.substring(11);
        assertFalse(TokenFormat.isWellFormed(typo), "one changed character");
        assertFalse(TokenFormat.isWellFormed(token.substring(0, token.length() - 1)), "truncated");
        assertFalse(TokenFormat.isWellFormed("ghp_" + token.substring(4)), "another product's prefix");
        assertFalse(TokenFormat.isWellFormed(null));
    }

    @Test
    void the_random_part_carries_at_least_160_bits() {
        double bits = TokenFormat.RANDOM_CHARS * (Math.log(62) / Math.log(2));
        assertTrue(bits >= 160, "entropy " + bits);
        assertEquals(42, TokenFormat.LENGTH);
    }
}
