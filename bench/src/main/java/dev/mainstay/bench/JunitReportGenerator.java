package dev.mainstay.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Writes a JUnit XML report of about a given size the way Surefire (and, for some suites, Gradle)
 * writes one, the same bytes for the same seed: a {@code <testsuites>} of many suites, each with
 * its properties and test cases (class, name, time); failures and errors with a message and a
 * stack trace, skipped tests, Surefire's {@code flakyFailure}/{@code rerunFailure} with their own
 * stack trace and output, Gradle-style retries (the same test again in its suite),
 * {@code system-out}/{@code system-err} as CDATA (Surefire) or as escaped text with ANSI colours
 * as character references (Gradle), and names and messages with characters that need escaping
 * ({@code < > & "}) or are beyond ASCII.
 *
 * <p>Texts come from small word lists, so they repeat as real logs and traces do. The report is
 * well-formed XML 1.0 that a plain StAX reader accepts (control characters are written as
 * references), so a parser can be compared with a bare pass over the same bytes.
 */
public final class JunitReportGenerator {

    /**
     * What a report is made of: how many cases a suite has, how many properties, and the share of
     * cases (0 to 1) of each kind; {@code output} is the share with {@code system-out} (a third of
     * those also with {@code system-err}), {@code repeated} the share run again in their suite.
     */
    public record Mix(int minCases, int maxCases, int properties, double failed, double errors, double skipped, double flaky,
                      double reruns, double output, double repeated) {

        /** Surefire-like: suites of 5 to 80 cases, about one case in nine not simply passing, output on one in six. */
        public static final Mix SUREFIRE = new Mix(5, 80, 24, 0.03, 0.01, 0.04, 0.02, 0.01, 0.16, 0.005);

        /**
         * One suite of bare passing cases up to the size (most of a million at 100 MB): the most
         * distinct tests a parser must remember in one suite to number retries.
         */
        public static final Mix ONE_LARGE_SUITE = new Mix(Integer.MAX_VALUE, Integer.MAX_VALUE, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** What was written: bytes, suites, {@code <testcase>} elements, and the executions they stand for (each attempt one). */
    public record Written(long bytes, long suites, long cases, long executions) {
    }

    /** What a case holds: a flaky case passed after failed attempts, a rerun one failed again on each rerun. */
    private enum Kind { PASSED, FAILED, ERROR, SKIPPED, FLAKY, RERUN }

    private static final String[] MODULES = {"billing", "cart", "catalog", "checkout", "identity", "inventory", "orders", "payments",
        "pricing", "search", "shipping"};
    private static final String[] LAYERS = {"api", "domain", "infra", "web", "jobs"};
    private static final String[] NOUNS = {"Cart", "Invoice", "Order", "Payment", "Price", "Refund", "Session", "Shipment", "Stock",
        "Token", "Coupon", "Customer"};
    private static final String[] ROLES = {"Service", "Repository", "Controller", "Mapper", "Validator", "Scheduler", "Client"};
    private static final String[] VERBS = {"adds", "rejects", "computes", "retries", "expires", "rounds", "lists", "cancels", "merges",
        "refunds", "ships", "validates"};
    private static final String[] OBJECTS = {"Item", "EmptyCart", "NegativeAmount", "ExpiredToken", "DuplicateOrder", "PartialRefund",
        "LargeBasket", "ForeignCurrency", "MissingAddress", "StaleSession"};
    private static final String[] CONDITIONS = {"StockIsLow", "CurrencyDiffers", "ClockSkews", "RequestTimesOut", "CacheIsCold"};
    private static final String[] ODD_NAMES = {"grüßtKunden", "handles emoji 🎉 in names", "日本語の注文を処理する",
        "[1] name=\"O'Brien & Sons\", city=<none>", "amount < limit && currency == \"EUR\""};
    private static final String[] FRAMES = {
        "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
        "java.base/java.lang.reflect.Method.invoke(Method.java:580)",
        "org.junit.platform.commons.util.ReflectionUtils.invokeMethod(ReflectionUtils.java:767)",
        "org.junit.jupiter.engine.execution.MethodInvocation.proceed(MethodInvocation.java:60)",
        "org.junit.jupiter.engine.execution.InvocationInterceptorChain$ValidatingInvocation.proceed(InvocationInterceptorChain.java:131)",
        "org.junit.jupiter.engine.extension.TimeoutExtension.intercept(TimeoutExtension.java:156)",
        "org.junit.jupiter.engine.descriptor.TestMethodTestDescriptor.invokeTestMethod(TestMethodTestDescriptor.java:218)",
        "org.junit.platform.engine.support.hierarchical.ThrowableCollector.execute(ThrowableCollector.java:73)",
        "org.junit.platform.engine.support.hierarchical.NodeTestTask.executeRecursively(NodeTestTask.java:151)",
        "org.apache.maven.surefire.junitplatform.JUnitPlatformProvider.invoke(JUnitPlatformProvider.java:156)"};
    private static final String CLASSPATH = "/home/runner/work/shop/shop/target/test-classes:/home/runner/.m2/repository/org/junit/"
        + "jupiter/junit-jupiter-api/5.12.2/junit-jupiter-api-5.12.2.jar";
    private static final String SCHEMA = "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation="
        + "\"https://maven.apache.org/surefire/maven-surefire-plugin/xsd/surefire-test-report-3.0.xsd\" version=\"3.0.2\"";
    /** Suites of at most this many cases are held until their counts are known, for their opening tag. */
    private static final int MOST_HELD_CASES = 10_000;

    private final SplittableRandom random;
    private final Mix mix;
    private final StringBuilder text = new StringBuilder(1 << 16);
    private final long[] counts = new long[Kind.values().length];

    private JunitReportGenerator(long seed, Mix mix) {
        this.random = new SplittableRandom(seed);
        this.mix = mix;
    }

    /** Writes a report of about {@code bytes} bytes (a little more: the last suite's end) to {@code file}, replacing it. */
    public static Written write(Path file, long bytes, long seed, Mix mix) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            return write(out, bytes, seed, mix);
        }
    }

    /**
     * Writes a report of about {@code bytes} bytes to {@code out}, which is left open.
     *
     * @throws IllegalArgumentException when {@code bytes} is not positive
     */
    public static Written write(OutputStream out, long bytes, long seed, Mix mix) throws IOException {
        if (bytes < 1) {
            throw new IllegalArgumentException("bytes must be positive: " + bytes);
        }
        return new JunitReportGenerator(seed, mix).report(new BufferedOutputStream(out, 1 << 16), bytes);
    }

    private Written report(BufferedOutputStream out, long target) throws IOException {
        long bytes = flush(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
        long suites = 0;
        long cases = 0;
        long executions = 0;
        boolean held = mix.maxCases() <= MOST_HELD_CASES;
        while (bytes < target) {
            suites++;
            String classname = "com.acme." + pick(MODULES) + "." + pick(LAYERS) + "." + pick(NOUNS) + pick(ROLES)
                + (random.nextInt(10) == 0 ? "IT" : "Test");
            boolean gradle = random.nextInt(4) == 0;
            int size = mix.minCases() + (mix.maxCases() > mix.minCases() ? random.nextInt(mix.maxCases() - mix.minCases() + 1) : 0);
            // Gradle's timestamp: local time, no offset.
            String opening = "  <testsuite " + SCHEMA + " name=\"" + classname + "\" time=\"" + seconds() + "\" timestamp=\"2026-11-"
                + (10 + random.nextInt(10)) + "T0" + random.nextInt(10) + ":" + (10 + random.nextInt(50)) + ":31."
                + (100 + random.nextInt(900)) + "\" hostname=\"ci-runner-" + random.nextInt(40) + "\"";
            if (!held) {
                bytes += flush(out, opening + ">\n");
            }
            properties();
            Arrays.fill(counts, 0);
            Set<String> names = new HashSet<>();
            List<String> again = new ArrayList<>();
            for (int i = 0; i < size && bytes + text.length() < target; i++) {
                String name = name(names, i);
                executions += testCase(classname, name, gradle);
                cases++;
                if (random.nextDouble() < mix.repeated()) {
                    again.add(name);
                }
                if (!held) {
                    bytes += flush(out, text);
                }
            }
            for (String name : again) {
                // Gradle and pytest-rerunfailures write a retry as the same test case again.
                text.append("    <testcase name=\"").append(escape(name)).append("\" classname=\"").append(classname)
                    .append("\" time=\"").append(seconds()).append("\"/>\n");
                counts[Kind.PASSED.ordinal()]++;
                cases++;
                executions++;
            }
            if (gradle) {
                text.append("    <system-out><![CDATA[]]></system-out>\n    <system-err><![CDATA[]]></system-err>\n");
            }
            text.append("  </testsuite>\n");
            if (held) {
                bytes += flush(out, opening + " tests=\"" + Arrays.stream(counts).sum() + "\" errors=\"" + count(Kind.ERROR)
                    + "\" skipped=\"" + count(Kind.SKIPPED) + "\" failures=\"" + (count(Kind.FAILED) + count(Kind.RERUN)) + "\">\n");
            }
            bytes += flush(out, text);
        }
        bytes += flush(out, "</testsuites>\n");
        out.flush();
        return new Written(bytes, suites, cases, executions);
    }

    private long count(Kind kind) {
        return counts[kind.ordinal()];
    }

    private void properties() {
        if (mix.properties() > 0) {
            text.append("    <properties>\n");
            for (int i = 0; i < mix.properties(); i++) {
                text.append("      <property name=\"").append(i % 3 == 0 ? "java.vm." : i % 3 == 1 ? "surefire." : "user.")
                    .append("prop").append(i).append("\" value=\"").append(i % 4 == 0 ? CLASSPATH : "value-" + random.nextInt(1000))
                    .append("\"/>\n");
            }
            text.append("    </properties>\n");
        }
    }

    /** A name unique in its suite: mostly camel-case Java methods, some parameterised or beyond ASCII. */
    private String name(Set<String> names, int index) {
        int kind = random.nextInt(100);
        String name = kind < 3 ? pick(ODD_NAMES)
            : kind < 13 ? pick(VERBS) + pick(OBJECTS) + "(BigDecimal, RoundingMode)[" + (1 + random.nextInt(12)) + "]"
            : pick(VERBS) + pick(OBJECTS) + (random.nextBoolean() ? "When" + pick(CONDITIONS) : "");
        return names.add(name) ? name : name + "_" + index;
    }

    /** Writes one test case; returns how many executions it stands for. */
    private int testCase(String classname, String name, boolean gradle) {
        text.append("    <testcase name=\"").append(escape(name)).append("\" classname=\"").append(classname).append("\" time=\"")
            .append(seconds()).append('"');
        Kind kind = kind(random.nextDouble());
        counts[kind.ordinal()]++;
        boolean output = random.nextDouble() < mix.output();
        if (kind == Kind.PASSED && !output) {
            text.append("/>\n");
            return 1;
        }
        text.append(">\n");
        int executions = 1;
        switch (kind) {
            case PASSED -> {
                // Only output, below.
            }
            case FAILED -> failure("failure", classname);
            case ERROR -> failure("error", classname);
            case SKIPPED -> text.append(random.nextBoolean() ? "      <skipped/>\n"
                : "      <skipped message=\"@Disabled(&quot;flaky on CI, see #" + random.nextInt(900) + "&quot;)\"/>\n");
            case FLAKY, RERUN -> {
                if (kind == Kind.RERUN) {
                    failure("failure", classname);
                }
                executions += 1 + random.nextInt(2);
                for (int i = 1; i < executions; i++) {
                    attempt(kind == Kind.FLAKY ? "flakyFailure" : "rerunFailure", classname, gradle);
                }
            }
        }
        if (output) {
            output("system-out", classname, gradle, 3 + random.nextInt(40));
            if (random.nextInt(3) == 0) {
                output("system-err", classname, gradle, 1 + random.nextInt(8));
            }
        }
        text.append("    </testcase>\n");
        return executions;
    }

    private Kind kind(double roll) {
        Kind[] kinds = {Kind.FAILED, Kind.ERROR, Kind.SKIPPED, Kind.FLAKY, Kind.RERUN};
        double[] shares = {mix.failed(), mix.errors(), mix.skipped(), mix.flaky(), mix.reruns()};
        double edge = 0;
        for (int i = 0; i < kinds.length; i++) {
            edge += shares[i];
            if (roll < edge) {
                return kinds[i];
            }
        }
        return Kind.PASSED;
    }

    private void failure(String element, String classname) {
        String message = message();
        text.append("      <").append(element).append(" message=\"").append(escape(message)).append("\" type=\"")
            .append(message, 0, message.indexOf(':')).append("\">");
        stackTrace(message, classname);
        text.append("</").append(element).append(">\n");
    }

    private void attempt(String element, String classname, boolean gradle) {
        String message = message();
        text.append("      <").append(element).append(" message=\"").append(escape(message)).append("\" type=\"")
            .append(message, 0, message.indexOf(':')).append("\" time=\"").append(seconds()).append("\">\n        <stackTrace>");
        stackTrace(message, classname);
        text.append("</stackTrace>\n");
        output("system-out", classname, gradle, 2 + random.nextInt(10));
        text.append("      </").append(element).append(">\n");
    }

    private String message() {
        return switch (random.nextInt(5)) {
            case 0 -> "org.opentest4j.AssertionFailedError: expected: <" + random.nextInt(100) + "> but was: <" + random.nextInt(100) + ">";
            case 1 -> "java.lang.AssertionError: Expected status 200 but was 503 for GET /api/orders?page=2&size=50";
            case 2 -> "java.lang.NullPointerException: Cannot invoke \"com.acme.cart.domain.Cart.items()\" because \"cart\" is null";
            case 3 -> "java.util.concurrent.TimeoutException: waited 30 s for the 'order-shipped' event";
            default -> "org.mockito.exceptions.verification.WantedButNotInvoked: Wanted but not invoked: charge(<any>, 42.50 €)";
        };
    }

    private void stackTrace(String message, String classname) {
        String pkg = classname.substring(0, classname.lastIndexOf('.') + 1);
        text.append(escape(message)).append('\n');
        for (int i = 2 + random.nextInt(8); i > 0; i--) {
            String owner = pick(NOUNS) + pick(ROLES);
            text.append("\tat ").append(pkg).append(owner).append('.').append(pick(VERBS)).append('(').append(owner).append(".java:")
                .append(20 + random.nextInt(400)).append(")\n");
        }
        text.append("\tat ").append(classname).append('.').append(pick(VERBS)).append(pick(OBJECTS)).append('(')
            .append(classname, pkg.length(), classname.length()).append(".java:").append(20 + random.nextInt(300)).append(")\n");
        int frames = 15 + random.nextInt(40);
        for (int i = 0; i < frames; i++) {
            text.append("\tat ").append(FRAMES[i % FRAMES.length]).append('\n');
        }
        if (random.nextInt(3) == 0) {
            text.append("Caused by: java.io.IOException: Connection reset by peer &lt;10.0.3.17:5432&gt;\n")
                .append("\tat java.base/sun.nio.ch.SocketDispatcher.read0(Native Method)\n\t... ").append(frames).append(" more\n");
        }
    }

    /** Log lines: Surefire writes them as CDATA, Gradle as escaped text (colour codes as character references). */
    private void output(String element, String classname, boolean escaped, int lines) {
        text.append("      <").append(element).append('>').append(escaped ? "" : "<![CDATA[");
        for (int i = 0; i < lines; i++) {
            boolean warning = random.nextInt(10) == 0;
            text.append(escaped ? (warning ? "&#27;[33mWARN&#27;[0m " : "&#27;[32mINFO&#27;[0m ") : warning ? "WARN " : "INFO ")
                .append("2026-11-23 10:").append(10 + random.nextInt(50)).append(':').append(10 + random.nextInt(50)).append('.')
                .append(100 + random.nextInt(900)).append(" [main] ").append(classname, 0, classname.lastIndexOf('.') + 1)
                .append(pick(NOUNS)).append(pick(ROLES)).append(" - ");
            String line = switch (random.nextInt(4)) {
                case 0 -> "added item " + random.nextInt(10_000) + " to cart " + Long.toHexString(random.nextLong());
                case 1 -> "response {\"status\":\"ok\",\"items\":" + random.nextInt(50) + ",\"total\":\"19.99 €\"}";
                case 2 -> "query took " + random.nextInt(200) + " ms: SELECT * FROM orders WHERE total > 100 AND state <> 'shipped'";
                default -> "retrying request " + random.nextInt(5) + "/5 after 250 ms";
            };
            text.append(escaped ? escape(line) : line).append('\n');
        }
        text.append(escaped ? "" : "]]>").append("</").append(element).append(">\n");
    }

    /** Mostly milliseconds to a few seconds with three decimals, as Surefire writes them; some whole or with six. */
    private String seconds() {
        int kind = random.nextInt(20);
        if (kind == 0) {
            return Integer.toString(random.nextInt(3));
        }
        double seconds = kind == 1 ? random.nextDouble() * 30 : random.nextDouble() * random.nextDouble() * 0.4;
        return String.format(Locale.ROOT, kind == 2 ? "%.6f" : "%.3f", seconds);
    }

    private String pick(String[] words) {
        return words[random.nextInt(words.length)];
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static long flush(OutputStream out, CharSequence chars) throws IOException {
        byte[] bytes = chars.toString().getBytes(StandardCharsets.UTF_8);
        out.write(bytes);
        if (chars instanceof StringBuilder builder) {
            builder.setLength(0);
        }
        return bytes.length;
    }
}
