package dev.mainstay.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** An excerpt keeps, trims and notes what it leaves out as a StringBuilder cut at the bound and String.strip() would. */
class ExcerptTest {

    /** What an excerpt of {@code max} must say after {@code appended}: the kept part stripped, and the note. */
    private static String expected(String appended, int max) {
        int kept = Math.min(max, appended.length());
        String text = appended.substring(0, kept).strip();
        return kept == appended.length() ? text : text + "\n… [" + (appended.length() - kept) + " more characters]";
    }

    @Test
    void text_past_the_bound_is_counted_in_a_note_and_the_rest_is_trimmed() {
        Excerpt excerpt = new Excerpt(8);
        excerpt.append("  a b".toCharArray(), 0, 5);
        excerpt.append("  c d e f");

        assertEquals("a b  c\n… [6 more characters]", excerpt.text());
        assertEquals("a b  c\n… [6 more characters]", Excerpt.of("  a b  c d e f", 8));
        assertEquals("x", Excerpt.of(" x ", 8));
        assertEquals("", new Excerpt(8).text());
    }

    @Test
    void a_cleared_excerpt_starts_again_empty() {
        Excerpt excerpt = new Excerpt(300);
        excerpt.append("first ".repeat(100));
        excerpt.clear();

        assertTrue(excerpt.isEmpty());
        excerpt.append(" second ");
        assertEquals("second", excerpt.text());
    }

    @Test
    void any_appends_of_any_characters_come_out_as_the_cut_and_stripped_text() {
        Random random = new Random(20261123);
        String alphabet = "ab \t\n\r\u00A0\u2028\u3000\u001C\uD83C\uDF89\uD800é";
        Excerpt reused = new Excerpt(300);
        for (int round = 0; round < 20_000; round++) {
            int max = round % 3 == 0 ? 300 : random.nextInt(40);
            Excerpt excerpt = round % 3 == 0 ? reused : new Excerpt(max);
            excerpt.clear();
            StringBuilder appended = new StringBuilder();
            for (int part = random.nextInt(6); part > 0; part--) {
                StringBuilder chunk = new StringBuilder();
                for (int i = random.nextInt(round % 3 == 0 ? 200 : 20); i > 0; i--) {
                    chunk.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                appended.append(chunk);
                if (random.nextBoolean()) {
                    excerpt.append(chunk.toString());
                } else {
                    char[] padded = ("<<" + chunk + ">>").toCharArray();
                    excerpt.append(padded, 2, chunk.length());
                }
            }

            assertEquals(expected(appended.toString(), max), excerpt.text(), "round " + round);
            assertEquals(expected(appended.toString(), max), Excerpt.of(appended.toString(), max), "round " + round);
            assertEquals(appended.isEmpty(), excerpt.isEmpty(), "round " + round);
        }
    }
}
