package dev.mainstay.flaky;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a failure signature keeps and what it strips, language by language. */
class FailureSignatureTest {

    private static String text(String message, String stackTrace) {
        return FailureSignature.of(message, stackTrace).orElseThrow().text();
    }

    private static String hash(String message, String stackTrace) {
        return FailureSignature.of(message, stackTrace).orElseThrow().hash();
    }

    private static final String CONNECT = """
        org.postgresql.util.PSQLException: Connection to db:5432 refused. Check that the hostname and port are correct.
        \tat org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:%d)
        \tat org.postgresql.core.ConnectionFactory.openConnection(ConnectionFactory.java:49)
        \tat com.acme.%s(%s.java:%d)
        Caused by: java.net.ConnectException: Connection refused (from /10.0.%d.7:%d)
        \tat java.base/sun.nio.ch.Net.connect0(Native Method)
        \t... 42 more
        """;

    @Test
    void tests_that_cannot_reach_the_database_from_different_ports_share_a_signature() {
        FailureSignature cart = FailureSignature.of("Connection to db:5432 refused.",
            CONNECT.formatted(339, "CartTest.adds", "CartTest", 31, 3, 51234)).orElseThrow();
        FailureSignature checkout = FailureSignature.of("Connection to db:5432 refused.",
            CONNECT.formatted(338, "CheckoutTest.pays", "CheckoutTest", 77, 9, 40001)).orElseThrow();

        assertEquals(cart, checkout, "only line numbers, an address and an ephemeral port differ");
        assertEquals("""
            org.postgresql.util.PSQLException: Connection to db:5432 refused. Check that the hostname and port are correct.
            Caused by: java.net.ConnectException: Connection refused (from /<ip>:<port>)
            at org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl
            at org.postgresql.core.ConnectionFactory.openConnection""", cart.text(), "the well-known port names the service");
        assertTrue(cart.hash().matches("[0-9a-f]{16}"), cart.hash());
    }

    @Test
    void a_different_exception_type_or_service_is_a_different_signature() {
        assertNotEquals(hash("java.net.ConnectException: Connection refused to db:5432", ""),
            hash("java.net.SocketTimeoutException: Connection refused to db:5432", ""));
        assertNotEquals(hash("java.net.ConnectException: Connection refused to db:5432", ""),
            hash("java.net.ConnectException: Connection refused to redis:6379", ""));
    }

    @Test
    void ids_addresses_times_durations_and_temp_paths_become_placeholders() {
        assertEquals("Order <uuid> for com.acme.Cart@<addr> failed at <time> after <duration> (<duration>), commit <hex>",
            text("Order 123e4567-e89b-12d3-a456-426614174000 for com.acme.Cart@1b6d3586 failed at 2026-10-01T12:00:03.123Z after"
                + " 5000ms (30 s), commit 9fceb02d0ae598e95dc970b74767f19372d61af8", ""));
        assertEquals("cannot open <tmp> nor <tmp> nor <tmp>: <n> bytes, pid <n>",
            text("cannot open /tmp/junit8812/db.sqlite nor /var/folders/x1/abc/T/foo nor C:\\Users\\bob\\AppData\\Local\\Temp\\x12\\y.txt:"
                + " 4096 bytes, pid 31337", ""));
        assertEquals("http://localhost:<port>/api and localhost:8080 at <time>, <hex> <hex>",
            text("http://localhost:54321/api and localhost:8080 at 12:03:44,120, 0x7ffe3c 0XDEADbeef", ""));
    }

    @Test
    void digits_inside_names_are_part_of_the_name() {
        assertEquals("utf8 decoding failed in step_2 of Base64Test", text("utf8 decoding failed in step_2 of Base64Test", ""));
    }

    @Test
    void jvm_frames_lose_line_numbers_modules_and_generated_lambda_and_proxy_names() {
        String trace = """
            java.lang.IllegalStateException: boom
            \tat app//com.acme.Orders.lambda$place$0(Orders.java:12)
            \tat com.acme.Orders$$Lambda/0x000001f0a1b2c3d8.apply(Unknown Source)
            \tat jdk.proxy2/jdk.proxy2.$Proxy45.place(Unknown Source)
            """;
        assertEquals("java.lang.IllegalStateException: boom\nat com.acme.Orders.lambda$place$0\nat com.acme.Orders.apply",
            text("", trace));
        assertEquals("com.acme.Repo.save", StackFrames.stable("com.acme.Repo$$EnhancerBySpringCGLIB$$1a2b3c.save"));
        assertEquals("com.sun.proxy.$Proxy.invoke", StackFrames.stable("com.sun.proxy.$Proxy12.invoke"));
        assertEquals("jdk.internal.reflect.GeneratedMethodAccessor.invoke", StackFrames.stable("jdk.internal.reflect.GeneratedMethodAccessor34.invoke"));
    }

    @Test
    void only_application_frames_count_when_there_are_any() {
        String trace = "java.lang.AssertionError: expected 2\n\tat org.junit.Assert.fail(Assert.java:89)\n"
            + "\tat com.acme.CartTest.adds(CartTest.java:31)\n\tat java.base/java.lang.Thread.run(Thread.java:1583)";
        assertEquals("java.lang.AssertionError: expected <n>\nat com.acme.CartTest.adds", text("expected 2", trace));
    }

    @Test
    void python_tracebacks_are_read_from_the_innermost_frame() {
        String traceback = """
            Traceback (most recent call last):
              File "/home/runner/work/app/tests/test_db.py", line 12, in test_connect
                conn = connect()
              File "/home/runner/work/app/app/db.py", line 40, in connect
                return psycopg.connect(DSN)
              File "/usr/lib/python3.12/site-packages/psycopg/connection.py", line 119, in connect
                raise last_ex.with_traceback(None)
            psycopg.OperationalError: connection to server at "db" (172.18.0.3), port 5432 failed: Connection refused
            """;
        assertEquals("psycopg.OperationalError: connection to server at \"db\" (<ip>), port <n> failed: Connection refused\n"
            + "at db.py:connect\nat test_db.py:test_connect", text("", traceback));
    }

    @Test
    void javascript_ruby_and_go_frames_are_named_by_file_and_function() {
        assertEquals("Error: connect ECONNREFUSED <ip>:5432\nat pool.js:Pool.connect\nat cart.test.js:Object.<anonymous>",
            text("", "Error: connect ECONNREFUSED 127.0.0.1:5432\n    at Pool.connect (/app/src/pool.js:10:5)\n"
                + "    at Object.<anonymous> (/app/test/cart.test.js:3:1)\n    at processTicksAndRejections (node:internal/process/task_queues:95:5)"));
        assertEquals("Errno::ECONNREFUSED: Failed to open TCP connection to db:5432\nat db.rb:connect",
            text("Errno::ECONNREFUSED: Failed to open TCP connection to db:5432",
                "# ./lib/db.rb:10:in `connect'\n# /usr/local/bundle/gems/rspec-core-3.12/lib/rspec/core.rb:263:in `instance_exec'"));
        assertEquals("panic: dial tcp <ip>:5432: connect: connection refused\nat main.connect\nat main.TestCart",
            text("", "panic: dial tcp 10.0.0.3:5432: connect: connection refused\n\ngoroutine 7 [running]:\n"
                + "main.connect(0xc000012345)\n\t/home/runner/app/db.go:12 +0x1d\nmain.TestCart(0xc0000a2000)\n\t/home/runner/app/cart_test.go:9 +0x25\n"
                + "testing.tRunner(0xc0000a2000, 0x5f1a28)\n\t/usr/local/go/src/testing/testing.go:1595 +0xff"));
    }

    @Test
    void terminal_colours_and_white_space_do_not_matter() {
        assertEquals(hash("expected true to be false", ""), hash("\u001b[31mexpected  true\tto be false\u001b[39m  ", ""));
    }

    @Test
    void a_failure_without_text_has_no_signature() {
        assertEquals(Optional.empty(), FailureSignature.of("", ""));
        assertEquals(Optional.empty(), FailureSignature.of(" \n\t ", "\n"));
        assertThrows(NullPointerException.class, () -> FailureSignature.of(null, ""));
    }

    @Test
    void a_huge_failure_reads_only_its_beginning_and_gives_a_bounded_text() {
        String huge = "java.lang.OutOfMemoryError: " + "x".repeat(5_000_000) + "\n\tat com.acme.Big.load(Big.java:1)\n".repeat(100_000);
        long started = System.nanoTime();
        FailureSignature s = FailureSignature.of(huge, huge).orElseThrow();
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(s.text().length() <= FailureSignature.MAX_TEXT_CHARS, s.text().length() + " characters");
        assertTrue(s.text().startsWith("java.lang.OutOfMemoryError: xxx"), s.text());
        assertTrue(millis < 2_000, "took " + millis + " ms");
        String frames = "\tat com.acme.Deep.recurse(Deep.java:1)\n".repeat(200_000);
        assertEquals("java.lang.StackOverflowError\nat com.acme.Deep.recurse", text("", "java.lang.StackOverflowError\n" + frames));
    }
}
