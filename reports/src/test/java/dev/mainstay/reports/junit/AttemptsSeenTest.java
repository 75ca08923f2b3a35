package dev.mainstay.reports.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A suite's attempts per test, kept by hash, count on as a map of the tests' names would. */
class AttemptsSeenTest {

    @Test
    void attempts_of_a_test_count_on_and_other_tests_start_from_none() {
        AttemptsSeen seen = new AttemptsSeen();
        long first = AttemptsSeen.key("a.BTest", "works", "");
        long second = AttemptsSeen.key("a.BTest", "fails", "");

        assertEquals(0, seen.add(first, 1));
        assertEquals(1, seen.add(first, 3));
        assertEquals(0, seen.add(second, 1));
        assertEquals(4, seen.add(first, 1));
        assertEquals(2, seen.size());
        assertThrows(IllegalArgumentException.class, () -> seen.add(first, 0));
    }

    @Test
    void any_sequence_of_tests_counts_as_a_map_of_their_names_does_while_the_table_grows() {
        Random random = new Random(20261123);
        AttemptsSeen seen = new AttemptsSeen();
        Map<String, Integer> expected = new HashMap<>();
        for (int i = 0; i < 300_000; i++) {
            String name = "test" + random.nextInt(100_000);
            int attempts = 1 + random.nextInt(3);
            int before = expected.getOrDefault(name, 0);
            expected.put(name, before + attempts);

            assertEquals(before, seen.add(AttemptsSeen.key("a.BTest", name, "src/b.py"), attempts), name);
        }
        assertEquals(expected.size(), seen.size());
    }

    @Test
    void the_strings_are_told_apart_where_one_ends_and_the_next_begins() {
        assertNotEquals(AttemptsSeen.key("ab", "c", ""), AttemptsSeen.key("a", "bc", ""));
        assertNotEquals(AttemptsSeen.key("", "abcd", ""), AttemptsSeen.key("abcd", "", ""));
        assertNotEquals(AttemptsSeen.key("a", "", "b"), AttemptsSeen.key("a", "b", ""));
        assertNotEquals(AttemptsSeen.key("x", "\u0000", ""), AttemptsSeen.key("x", "", ""));
        assertEquals(AttemptsSeen.key("a.B", "t", "f"), AttemptsSeen.key("a.B", "t", "f"));
    }

    @Test
    void keys_made_in_a_row_of_shared_classes_and_files_are_the_keys() {
        AttemptsSeen seen = new AttemptsSeen();
        for (String[] test : new String[][] {{"a.B", "t", ""}, {"a.B", "u", ""}, {"a.B", "u", "f"}, {"a.C", "u", "f"}, {"a.B", "t", ""},
            {new String("a.B"), "t", new String("")}}) {
            assertEquals(AttemptsSeen.key(test[0], test[1], test[2]), seen.keyOf(test[0], test[1], test[2]), String.join(" ", test));
        }
    }

    @Test
    void a_million_similar_names_in_one_suite_have_a_million_keys() {
        long[] keys = new long[1_000_000];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = AttemptsSeen.key("com.acme.BigSuiteTest", "case " + i + (i % 2 == 0 ? "" : "[" + i % 7 + "]"), "");
        }
        Arrays.sort(keys);
        for (int i = 1; i < keys.length; i++) {
            assertNotEquals(keys[i - 1], keys[i], "two names with the same key");
        }
    }
}
