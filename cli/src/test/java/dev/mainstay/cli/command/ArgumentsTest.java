package dev.mainstay.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArgumentsTest {

    private static final List<Option> OPTIONS = List.of(
        Option.one("url", "URL", "the appliance"),
        Option.many("junit", "GLOB", "JUnit files"),
        Option.toggle("json", "JSON out"));

    private static Arguments parse(boolean positionals, String... words) throws UsageException {
        return Arguments.parse("upload", OPTIONS, List.of(words), positionals);
    }

    @Test
    void an_option_takes_its_value_from_the_next_word_or_after_an_equals_sign() throws UsageException {
        assertEquals("https://a", parse(false, "--url", "https://a").value("url").orElseThrow());
        assertEquals("https://b", parse(false, "--url=https://b").value("url").orElseThrow());
    }

    @Test
    void a_many_valued_option_takes_every_word_up_to_the_next_option_and_may_be_repeated() throws UsageException {
        Arguments a = parse(false, "--junit", "a.xml", "b.xml", "--json", "--junit", "c/**/*.xml", "--junit=d.xml");
        assertEquals(List.of("a.xml", "b.xml", "c/**/*.xml", "d.xml"), a.values("junit"));
        assertTrue(a.has("json"));
        assertFalse(a.has("url"));
    }

    @Test
    void an_unknown_option_is_named_with_the_closest_known_one() {
        UsageException e = assertThrows(UsageException.class, () -> parse(false, "--jsno"));
        assertEquals("unknown option --jsno for 'mainstay upload'; did you mean --json?", e.getMessage());
        UsageException far = assertThrows(UsageException.class, () -> parse(false, "--frobnicate"));
        assertEquals("unknown option --frobnicate for 'mainstay upload'", far.getMessage());
    }

    @Test
    void a_missing_value_a_value_given_twice_and_a_value_for_a_switch_are_refused() {
        assertEquals("--url needs a value: --url URL",
            assertThrows(UsageException.class, () -> parse(false, "--url", "--json")).getMessage());
        assertEquals("--junit needs at least one value: --junit GLOB...",
            assertThrows(UsageException.class, () -> parse(false, "--junit")).getMessage());
        assertEquals("--url is given twice; give it once",
            assertThrows(UsageException.class, () -> parse(false, "--url", "a", "--url", "b")).getMessage());
        assertEquals("--json takes no value", assertThrows(UsageException.class, () -> parse(false, "--json=yes")).getMessage());
    }

    @Test
    void positional_words_are_kept_in_order_and_refused_where_a_command_takes_none() throws UsageException {
        assertEquals(List.of("a.xml", "--odd.xml"), parse(true, "a.xml", "--json", "--", "--odd.xml").positionals());
        assertEquals("'mainstay upload' takes no argument 'stray.xml'",
            assertThrows(UsageException.class, () -> parse(false, "stray.xml")).getMessage());
        assertEquals("'mainstay upload' takes no argument '-u'; options start with --",
            assertThrows(UsageException.class, () -> parse(false, "-u")).getMessage());
    }
}
