package dev.mainstay.flaky;

/**
 * Recognises the stack-frame lines of the traces test reports carry and names each frame without
 * what varies between builds: line and column numbers, directories, generated class suffixes.
 *
 * <ul>
 *   <li>JVM and .NET: {@code at com.acme.Db.connect(Db.java:42)}, {@code at Acme.Db.Connect() in /src/Db.cs:line 42}: class and method,
 *       without a module prefix ({@code java.base/}), lambda and proxy classes ({@code $$Lambda$123/0x…},
 *       {@code $Proxy12}, {@code GeneratedMethodAccessor34}) reduced to their stable part;</li>
 *   <li>JavaScript: {@code at connect (/app/src/db.js:10:5)}, {@code at /app/src/db.js:10:5}: file name and function;</li>
 *   <li>Python: {@code File "/app/db.py", line 10, in connect}: file name and function; the source line after it is skipped;</li>
 *   <li>Ruby: {@code /app/lib/db.rb:10:in `connect'} (RSpec's {@code # ./spec/…} too): file name and method;</li>
 *   <li>Go: a function line ({@code main.connect(0xc000…)}) followed by its {@code /app/db.go:10 +0x1d} location.</li>
 * </ul>
 */
final class StackFrames {

    /** Frames of the runtime, test frameworks and package managers, never the application's. */
    private static final String[] FRAMEWORK_PREFIXES = {"java.", "javax.", "jdk.", "sun.", "com.sun.", "kotlin.", "kotlinx.", "scala.",
        "groovy.", "org.codehaus.groovy.", "org.junit.", "junit.", "org.testng.", "org.apache.maven.", "org.gradle.", "worker.org.gradle.",
        "org.opentest4j.", "org.assertj.", "org.hamcrest.", "org.mockito.", "net.bytebuddy.", "System.", "Microsoft.", "NUnit.", "Xunit.",
        "runtime.", "testing.", "reflect."};
    private static final String[] FRAMEWORK_PATHS = {"node_modules", "node:internal", "internal/", "site-packages", "dist-packages",
        "/lib/python", "<frozen", "<anonymous>", "/gems/", "/rubygems/", "/lib/ruby/", "/go/src/", "/pytest", "/unittest/"};

    private StackFrames() {
    }

    /** A recognised frame: its stable name, and whether it is the application's rather than a runtime's or framework's. */
    record Frame(String name, boolean application) {
    }

    /** The frame of the line {@code s[from, to)} (trimmed), or null when it is not a frame line. */
    static Frame parse(String s, int from, int to) {
        if (s.startsWith("# ", from)) {
            from += 2;
        }
        if (s.startsWith("at ", from)) {
            return atFrame(s, from + 3, to);
        }
        if (s.startsWith("File \"", from)) {
            int quote = indexOf(s, "\"", from + 6, to);
            int in = lastIndexOf(s, ", in ", from, to);
            if (quote < 0 || quote >= to || in < quote) {
                return null;
            }
            return pathFrame(s, from + 6, quote, s.substring(in + 5, to).strip());
        }
        int in = indexOf(s, ":in ", from, to);
        if (in > from && SignatureText.isDigit(s.charAt(in - 1))) {
            int colon = lastIndexOf(s, ":", from, in);
            if (colon > from) {
                String method = s.substring(in + 4, to).strip();
                if (method.length() > 1 && (method.charAt(0) == '`' || method.charAt(0) == '\'')) {
                    method = method.substring(1, method.length() - (method.endsWith("'") ? 1 : 0));
                }
                return pathFrame(s, from, colon, method);
            }
        }
        return null;
    }

    /** Whether {@code s[from, to)} is a Go frame's location line: {@code /path/file.go:12 +0x1d}. */
    static boolean goLocation(String s, int from, int to) {
        int go = indexOf(s, ".go:", from, to);
        return go > from && go + 4 < to && SignatureText.isDigit(s.charAt(go + 4));
    }

    /** The Go function line {@code s[from, to)} before a location line, as a frame. */
    static Frame goFunction(String s, int from, int to) {
        int paren = lastIndexOf(s, "(", from, to);
        String name = stable(s.substring(from, paren > from ? paren : to).strip());
        return new Frame(name, !framework(name) && !name.startsWith("panic"));
    }

    private static Frame atFrame(String s, int from, int to) {
        int paren = indexOf(s, "(", from, to);
        if (paren > from && s.charAt(paren - 1) != ' ') {
            // JVM or .NET: the qualified method before the parenthesis.
            String name = s.substring(from, paren);
            // A class loader or module prefix (app//, java.base/, jdk.proxy2/) ends at the last slash before any generated part.
            int generated = name.indexOf('$');
            int module = name.lastIndexOf('/', generated < 0 ? name.length() - 1 : generated);
            if (module > 0 && name.lastIndexOf(':', module) < 0) {
                name = name.substring(module + 1);
            }
            name = stable(name);
            return new Frame(name, !framework(name));
        }
        if (paren > from) {
            // JavaScript: "function (location)".
            int close = lastIndexOf(s, ")", paren, to);
            String function = s.substring(from, paren - 1).strip();
            if (function.startsWith("async ")) {
                function = function.substring(6);
            }
            return pathFrame(s, paren + 1, lineSuffixStart(s, paren + 1, close > paren ? close : to), function);
        }
        return pathFrame(s, from, lineSuffixStart(s, from, to), "");
    }

    /** A frame named by its file's name (no directory) and function. */
    private static Frame pathFrame(String s, int from, int to, String function) {
        int slash = Math.max(lastIndexOf(s, "/", from, to), lastIndexOf(s, "\\", from, to));
        int start = slash >= from ? slash + 1 : from;
        String path = s.substring(from, to);
        boolean framework = false;
        for (String p : FRAMEWORK_PATHS) {
            framework |= path.contains(p);
        }
        String name = s.substring(start, to) + (function.isEmpty() ? "" : ":" + function);
        StringBuilder out = new StringBuilder(name.length());
        SignatureText.normalise(name, 0, name.length(), out, FailureSignature.MAX_LINE_CHARS);
        return new Frame(out.toString(), !framework);
    }

    /** Where {@code :line[:column]} ends the location {@code s[from, to)}. */
    private static int lineSuffixStart(String s, int from, int to) {
        int end = to;
        for (int parts = 0; parts < 2; parts++) {
            int colon = lastIndexOf(s, ":", from, end);
            if (colon <= from || colon + 1 >= end || !allDigits(s, colon + 1, end)) {
                break;
            }
            end = colon;
        }
        return end;
    }

    /** A JVM or .NET name without its generated parts. */
    static String stable(String name) {
        String n = name;
        int generated = n.indexOf("$$");
        if (generated >= 0) {
            // com.acme.Foo$$Lambda$123/0x0000000800c0b8.apply, $$EnhancerBySpringCGLIB$$1a2b.save: keep class and method.
            int method = n.lastIndexOf('.');
            n = n.substring(0, generated) + (method > generated ? n.substring(method) : "");
        }
        n = withoutNumber(n, "$Proxy");
        n = withoutNumber(n, "GeneratedMethodAccessor");
        n = withoutNumber(n, "GeneratedConstructorAccessor");
        n = withoutNumber(n, "GeneratedSerializationConstructorAccessor");
        n = withoutNumber(n, "jdk.proxy");
        return n.length() > FailureSignature.MAX_LINE_CHARS ? n.substring(0, FailureSignature.MAX_LINE_CHARS) : n;
    }

    private static String withoutNumber(String name, String generated) {
        int at = name.indexOf(generated);
        if (at < 0) {
            return name;
        }
        int digits = at + generated.length();
        int end = digits;
        while (end < name.length() && SignatureText.isDigit(name.charAt(end))) {
            end++;
        }
        return end == digits ? name : name.substring(0, digits) + name.substring(end);
    }

    private static boolean framework(String name) {
        for (String prefix : FRAMEWORK_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean allDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!SignatureText.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The first {@code part} within {@code s[from, to)}, or -1; never looks outside it. */
    static int indexOf(String s, String part, int from, int to) {
        for (int at = from; at + part.length() <= to; at++) {
            if (s.startsWith(part, at)) {
                return at;
            }
        }
        return -1;
    }

    /** The last {@code part} within {@code s[from, to)}, or -1; never looks outside it. */
    static int lastIndexOf(String s, String part, int from, int to) {
        for (int at = to - part.length(); at >= from; at--) {
            if (s.startsWith(part, at)) {
                return at;
            }
        }
        return -1;
    }
}
