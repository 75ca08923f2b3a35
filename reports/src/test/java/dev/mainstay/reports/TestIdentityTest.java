package dev.mainstay.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.mainstay.reports.junit.JunitXmlParser;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rules of docs/test-identity.md, one by one, and the ids they give (fixed: users keep them). */
class TestIdentityTest {

    private static TestExecution run(String file, List<String> suites, String classname, String name, int attempt) {
        return new TestExecution("r.xml", file, classname, suites, name, "", TestStatus.PASSED, attempt, Duration.ZERO, "", "", "", "",
            Optional.empty());
    }

    private static TestIdentity id(TestExecution e) {
        return TestIdentity.of("acme", "acme/shop", e, "");
    }

    @Test
    void the_id_is_fixed_for_given_parts() {
        TestIdentity identity = new TestIdentity("acme", "acme/shop", "src/test/java/a/BTest.java", "a.BTest", "adds", "linux");
        assertEquals(32, identity.id().length());
        assertEquals(identity.id(), new TestIdentity("acme", "acme/shop", "src/test/java/a/BTest.java", "a.BTest", "adds", "linux").id());
        assertEquals(TestIdentityIds.ADDS_ON_LINUX, identity.id(), "an id once given never changes");
    }

    @Test
    void parts_are_length_prefixed_so_moving_text_between_them_changes_the_id() {
        assertNotEquals(new TestIdentity("acme", "r", "", "a.b", "c", "").id(), new TestIdentity("acme", "r", "", "a", "b.c", "").id());
        assertNotEquals(new TestIdentity("acme", "r", "", "ab", "", "").id(), new TestIdentity("acme", "r", "", "a", "b", "").id());
    }

    @Test
    void retries_durations_and_report_names_do_not_change_a_tests_identity() {
        TestIdentity first = id(run("t.py", List.of("pytest"), "tests.test_lib", "test_x", 1));
        TestIdentity retry = id(run("t.py", List.of("pytest"), "tests.test_lib", "test_x", 3));
        assertEquals(first, retry);
    }

    @Test
    void each_parameter_set_is_its_own_test_but_hashes_and_addresses_in_names_are_masked() {
        assertNotEquals(id(run("", List.of(), "t", "test_add[1-2]", 1)), id(run("", List.of(), "t", "test_add[2-3]", 1)));
        assertEquals("[1] widget=com.acme.Widget@*", id(run("", List.of(), "t", "[1] widget=com.acme.Widget@1b6d3586", 1)).name());
        assertEquals(id(run("", List.of(), "t", "test_obj[<Foo object at 0x7f3a2c1b5e80>]", 1)),
            id(run("", List.of(), "t", "test_obj[<Foo object at 0x7f11aa22bb33>]", 1)));
    }

    @Test
    void whitespace_unicode_form_and_path_spelling_are_normalised() {
        TestIdentity a = id(run(".\\src\\cart.test.ts", List.of(" Cart "), "Cart", "adds  an\titem", 1));
        assertEquals("src/cart.test.ts", a.file());
        assertEquals("Cart", a.classname(), "a suite named like the class is not repeated");
        assertEquals("adds an item", a.name());
        assertEquals(id(run("", List.of(), "", "caf\u00e9", 1)), id(run("", List.of(), "", "cafe\u0301", 1)), "NFC");
    }

    @Test
    void an_absolute_path_is_cut_after_the_repository_folder_so_runners_agree() {
        assertEquals("tests/test_api.py", TestIdentity.file("/home/runner/work/shop/shop/tests/test_api.py", "acme/shop"));
        assertEquals("tests/test_api.py", TestIdentity.file("/builds/acme/shop/tests/test_api.py", "acme/shop"));
        assertEquals("tests/test_api.py", TestIdentity.file("C:\\a\\shop\\tests\\test_api.py", "acme/shop"));
        assertEquals("/opt/other/test_api.py", TestIdentity.file("/opt/other/test_api.py", "acme/shop"), "kept when the name is not in it");
    }

    @Test
    void suites_join_the_class_and_variants_join_the_uploads_and_the_reports() throws Exception {
        TestExecution e = Corpus.parse(new JunitXmlParser(), Corpus.file("junit/mikepenz/nested_multi-level.xml")).getFirst();
        TestIdentity identity = TestIdentity.of("acme", "acme/shop", e, "jdk21");
        assertEquals("ABC-0199: XMPP Ping › corp.proj.PingIntegrationTest", identity.classname(), "<testsuites> names the run, not a suite");
        assertEquals("jdk21", identity.variant());
        TestExecution withVariant = new TestExecution("r", "", "", List.of(), "t", "k8-opt", TestStatus.PASSED, 1, Duration.ZERO, "", "",
            "", "", Optional.empty());
        assertEquals("jdk21/k8-opt", TestIdentity.of("acme", "acme/shop", withVariant, "jdk21").variant());
    }
}
