package dev.mainstay.testkit;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Made-up Maven Surefire reports ({@code TEST-<class>.xml}) of a sizeable project, for uploads
 * that must be large and look like real ones: one test class per file, with the properties block
 * Surefire writes; of the test cases about 4% fail with an assertion message and a stack trace,
 * 1% end in an error, 3% are skipped with a reason, 2% pass on a rerun after a
 * {@code flakyFailure} (two executions), and one in ten prints log lines. Names are mostly plain,
 * some parameterised as JUnit 5 writes them. The same seed gives the same bytes.
 */
public final class SurefireReports {

    private static final int CASES_PER_FILE = 25;
    private static final List<String> PACKAGES = List.of("cart", "checkout", "catalog", "pricing", "inventory", "accounts", "search",
        "shipping", "payments", "notifications");
    private static final List<String> NOUNS = List.of("Cart", "Order", "Invoice", "Price", "Stock", "Account", "Query", "Parcel",
        "Payment", "Email", "Discount", "Tax", "Warehouse", "Session", "Token");
    private static final List<String> ROLES = List.of("Service", "Repository", "Controller", "Mapper", "Validator", "Client");
    private static final List<String> VERBS = List.of("adds", "removes", "rejects", "rounds", "lists", "finds", "expires", "retries",
        "merges", "splits", "refunds", "renders", "parses", "caches");
    private static final List<String> OBJECTS = List.of("anEmptyCart", "twoItems", "aNegativeAmount", "theLastPage", "anUnknownSku",
        "aStaleToken", "aPartialRefund", "aLongName", "unicodeNames", "concurrentUpdates", "aMissingAddress", "zeroStock");
    private static final String[] FRAMEWORK_FRAMES = {
        "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
        "java.base/java.lang.reflect.Method.invoke(Method.java:580)",
        "org.junit.platform.commons.util.ReflectionUtils.invokeMethod(ReflectionUtils.java:767)",
        "org.junit.jupiter.engine.execution.MethodInvocation.proceed(MethodInvocation.java:60)",
        "org.junit.jupiter.engine.execution.InvocationInterceptorChain$ValidatingInvocation.proceed(InvocationInterceptorChain.java:131)",
        "org.junit.jupiter.engine.extension.TimeoutExtension.intercept(TimeoutExtension.java:156)",
        "org.junit.jupiter.engine.extension.TimeoutExtension.interceptTestableMethod(TimeoutExtension.java:147)",
        "org.junit.jupiter.engine.descriptor.TestMethodTestDescriptor.lambda$invokeTestMethod$8(TestMethodTestDescriptor.java:217)",
        "org.junit.platform.engine.support.hierarchical.ThrowableCollector.execute(ThrowableCollector.java:73)",
        "org.junit.jupiter.engine.descriptor.TestMethodTestDescriptor.invokeTestMethod(TestMethodTestDescriptor.java:213)",
        "org.junit.jupiter.engine.descriptor.TestMethodTestDescriptor.execute(TestMethodTestDescriptor.java:138)",
        "org.junit.platform.engine.support.hierarchical.NodeTestTask.lambda$executeRecursively$6(NodeTestTask.java:151)",
        "org.junit.platform.engine.support.hierarchical.Node.around(Node.java:137)",
        "org.junit.platform.engine.support.hierarchical.NodeTestTask.executeRecursively(NodeTestTask.java:141)",
        "org.junit.platform.launcher.core.EngineExecutionOrchestrator.execute(EngineExecutionOrchestrator.java:201)",
        "org.apache.maven.surefire.junitplatform.JUnitPlatformProvider.invokeAllTests(JUnitPlatformProvider.java:152)",
        "org.apache.maven.surefire.booter.ForkedBooter.runSuitesInProcess(ForkedBooter.java:385)",
        "org.apache.maven.surefire.booter.ForkedBooter.main(ForkedBooter.java:507)",
    };

    private SurefireReports() {
    }

    /**
     * Reports holding exactly {@code executions} executions in all (a rerun counts), in files of
     * about {@value #CASES_PER_FILE} test cases, named and ordered as Surefire leaves them.
     *
     * @throws IllegalArgumentException if {@code executions} is not positive
     */
    public static Map<String, byte[]> withExecutions(int executions, long seed) {
        if (executions < 1) {
            throw new IllegalArgumentException("executions must be positive: " + executions);
        }
        Random random = new Random(seed);
        Map<String, byte[]> files = new LinkedHashMap<>();
        int left = executions;
        for (int n = 0; left > 0; n++) {
            String module = PACKAGES.get(n % PACKAGES.size());
            String className = "com.acme.shop." + module + "." + pick(random, NOUNS) + pick(random, ROLES) + (n / PACKAGES.size()) + "Test";
            StringBuilder cases = new StringBuilder();
            int[] counts = new int[4];
            for (int c = 0; c < CASES_PER_FILE && left > 0; c++) {
                left -= testCase(cases, random, className, c, left, counts);
            }
            files.put("TEST-" + className + ".xml", file(className, cases, counts, random).getBytes(StandardCharsets.UTF_8));
        }
        return files;
    }

    /** Appends one {@code <testcase>}; returns how many executions it holds (1, or 2 for a flaky one). */
    private static int testCase(StringBuilder out, Random random, String className, int index, int left, int[] counts) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        String method = pick(random, VERBS) + capitalised(pick(random, OBJECTS)) + index;
        String name = random.nextInt(100) < 8 ? method + "(String, int)[" + (1 + random.nextInt(6)) + "]" : method;
        int roll = random.nextInt(100);
        out.append("  <testcase name=\"").append(attribute(name)).append("\" classname=\"").append(className).append("\" time=\"")
            .append(seconds(random)).append('"');
        if (roll < 4) {
            counts[1]++;
            String expected = Integer.toString(random.nextInt(1000));
            String message = "expected: <" + expected + "> but was: <" + (random.nextInt(1000) + 1000) + ">";
            out.append(">\n    <failure message=\"").append(attribute(message)).append("\" type=\"org.opentest4j.AssertionFailedError\">")
                .append(escape(trace("org.opentest4j.AssertionFailedError: " + message, className, simple, method, random)))
                .append("</failure>\n");
            if (random.nextBoolean()) {
                logLines(out, random, className, 3 + random.nextInt(12));
            }
            out.append("  </testcase>\n");
        } else if (roll < 5) {
            counts[2]++;
            String message = "Connection refused: localhost/127.0.0.1:" + (5000 + random.nextInt(1000));
            out.append(">\n    <error message=\"").append(attribute(message)).append("\" type=\"java.net.ConnectException\">")
                .append(escape(trace("java.net.ConnectException: " + message, className, simple, method, random))).append("</error>\n")
                .append("    <system-err>").append(escape("WARN: retrying " + simple + " after " + message)).append("</system-err>\n")
                .append("  </testcase>\n");
        } else if (roll < 8) {
            counts[3]++;
            out.append(">\n    <skipped message=\"").append(attribute("Assumption failed: needs the " + pick(random, PACKAGES)
                + " sandbox")).append("\"/>\n  </testcase>\n");
        } else if (roll < 10 && left >= 2) {
            String message = "Timed out after " + (2 + random.nextInt(8)) + " seconds waiting for " + pick(random, NOUNS);
            out.append(">\n    <flakyFailure message=\"").append(attribute(message))
                .append("\" type=\"org.awaitility.core.ConditionTimeoutException\">\n      <stackTrace>")
                .append(escape(trace("org.awaitility.core.ConditionTimeoutException: " + message, className, simple, method, random)))
                .append("</stackTrace>\n");
            logLines(out, random, className, 2 + random.nextInt(6));
            out.append("    </flakyFailure>\n  </testcase>\n");
            counts[0]++;
            return 2;
        } else if (roll < 20) {
            out.append(">\n");
            logLines(out, random, className, 1 + random.nextInt(8));
            out.append("  </testcase>\n");
        } else {
            out.append("/>\n");
        }
        counts[0]++;
        return 1;
    }

    private static String file(String className, StringBuilder cases, int[] counts, Random random) {
        StringBuilder xml = new StringBuilder(cases.length() + 2048);
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"")
            .append(" xsi:noNamespaceSchemaLocation=\"https://maven.apache.org/surefire/maven-surefire-plugin/xsd/surefire-test-report.xsd\"")
            .append(" version=\"3.0.2\" name=\"").append(className).append("\" time=\"").append(seconds(random)).append("\" tests=\"")
            .append(counts[0] + counts[1] + counts[2] + counts[3]).append("\" errors=\"").append(counts[2]).append("\" skipped=\"")
            .append(counts[3]).append("\" failures=\"").append(counts[1]).append("\">\n  <properties>\n");
        String[][] properties = {{"java.version", "21.0.9"}, {"java.vendor", "Eclipse Adoptium"}, {"os.name", "Linux"},
            {"os.arch", "amd64"}, {"user.dir", "/home/runner/work/shop/shop"}, {"file.encoding", "UTF-8"},
            {"surefire.test.class.path", "/home/runner/work/shop/shop/target/test-classes:/home/runner/work/shop/shop/target/classes"},
            {"maven.repo.local", "/home/runner/.m2/repository"}, {"basedir", "/home/runner/work/shop/shop"}, {"line.separator", "\n"}};
        for (String[] p : properties) {
            xml.append("    <property name=\"").append(p[0]).append("\" value=\"").append(attribute(p[1])).append("\"/>\n");
        }
        return xml.append("  </properties>\n").append(cases).append("</testsuite>\n").toString();
    }

    private static String trace(String first, String className, String simple, String method, Random random) {
        StringBuilder trace = new StringBuilder(first).append('\n');
        trace.append("\tat ").append(className).append('.').append(method).append('(').append(simple).append(".java:")
            .append(20 + random.nextInt(300)).append(")\n");
        int frames = 8 + random.nextInt(FRAMEWORK_FRAMES.length - 8);
        for (int i = 0; i < frames; i++) {
            trace.append("\tat ").append(FRAMEWORK_FRAMES[i]).append('\n');
        }
        return trace.toString();
    }

    private static void logLines(StringBuilder out, Random random, String className, int lines) {
        out.append("    <system-out><![CDATA[");
        for (int i = 0; i < lines; i++) {
            out.append(String.format(Locale.ROOT, "2026-11-23 10:%02d:%02d.%03d INFO  [main] %s - %s %s id=%08x%n", random.nextInt(60),
                random.nextInt(60), random.nextInt(1000), className, pick(random, VERBS), pick(random, NOUNS).toLowerCase(Locale.ROOT),
                random.nextInt()));
        }
        out.append("]]></system-out>\n");
    }

    private static String seconds(Random random) {
        return String.format(Locale.ROOT, "%.3f", random.nextInt(2000) / 1000.0);
    }

    private static String pick(Random random, List<String> from) {
        return from.get(random.nextInt(from.size()));
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String attribute(String s) {
        return escape(s).replace("\n", "&#10;");
    }
}
