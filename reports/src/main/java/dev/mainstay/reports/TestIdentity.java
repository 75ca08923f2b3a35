package dev.mainstay.reports;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which test an execution is of, the same way in every upload: org, repository, file, class
 * (with the enclosing suites), name and variant, each normalised, and an id over them. Users
 * rely on it (quarantine lists, links, history), so the rules are fixed and documented in
 * {@code docs/test-identity.md}; changing one is a migration, not a refactoring.
 *
 * <p>What is not part of it: the attempt (so retries are executions of the same test), the
 * duration, the report file's name, and Bazel's configuration hash.
 *
 * <p>It is computed for every execution of every upload, so the common case is kept cheap
 * without changing a rule: {@link Upload} normalises what an upload fixes once; a text of
 * printable ASCII with no space at its ends and none doubled is left as it is (it is in NFC and
 * has nothing to fold); a name without {@code @} or {@code 0x} is not searched for hashes; each
 * id starts from a clone of a digest that has read the scheme. {@code TestIdentityFastPathsTest}
 * holds them to the rules as first written.
 *
 * @param org       the org's slug
 * @param repo      {@code owner/name} on the code host
 * @param file      the test's file, relative to the repository when it could be made so
 * @param classname the enclosing suites and the class, joined by {@code " › "}
 * @param name      the test's name, volatile parts masked
 * @param variant   the upload's variant and the report's, joined by {@code /}
 */
public record TestIdentity(String org, String repo, String file, String classname, String name, String variant) {

    /** Prefixes the hashed bytes, so that a future scheme cannot collide with this one. */
    static final String SCHEME = "mainstay-test-id-v1";

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    /** Java's default {@code toString}: {@code com.acme.Foo@1b6d3586}. */
    private static final Pattern IDENTITY_HASH = Pattern.compile("@[0-9a-fA-F]{6,16}\\b");
    /** Memory addresses, as Python and Ruby print objects: {@code <Foo object at 0x7f3a2c1b5e80>}. */
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{6,16}\\b");
    private static final Pattern SLASHES = Pattern.compile("/{2,}");
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:/.*");
    private static final String JOIN = " › ";
    /** SHA-256 having read the scheme; never updated again, only cloned (which reads it), so threads can share it. */
    private static final MessageDigest SCHEME_READ = schemeRead();

    /**
     * The identities of one upload's executions: the org, the repository and the upload's variant
     * are normalised once, not for each execution. Gives the same identities as {@link TestIdentity#of}.
     */
    public static final class Upload {
        private final String org;
        private final String repo;
        private final String variant;
        private final String rawVariant;
        /** {@code /<repository name>/}, where an absolute path is cut; null when the name is empty. */
        private final String checkout;

        /**
         * @param org     the org's slug
         * @param repo    the upload's repository, {@code owner/name}
         * @param variant the upload's variant, empty when none
         */
        public Upload(String org, String repo, String variant) {
            this.org = text(org);
            this.repo = text(repo);
            this.variant = text(variant);
            this.rawVariant = variant;
            this.checkout = checkout(repo);
        }

        /** The identity of {@code execution}, one of this upload's. */
        public TestIdentity of(TestExecution execution) {
            String variants = execution.variant().isEmpty() ? variant : joinDistinct(List.of(rawVariant), execution.variant(), "/");
            return new TestIdentity(org, repo, path(execution.file(), checkout),
                joinDistinct(execution.suites(), execution.classname(), JOIN), name(execution.name()), variants);
        }
    }

    /**
     * The identity of {@code execution}, uploaded to {@code org}'s {@code repo} with the upload's
     * {@code variant} (empty when none). For many executions of one upload, {@link Upload} is cheaper.
     */
    public static TestIdentity of(String org, String repo, TestExecution execution, String variant) {
        return new Upload(org, repo, variant).of(execution);
    }

    /** The id: the first 16 bytes of SHA-256 over the scheme and the six parts, in lower-case hex (32 characters). */
    public String id() {
        MessageDigest sha;
        try {
            sha = (MessageDigest) SCHEME_READ.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 cannot be cloned", e);
        }
        byte[] length = new byte[4];
        update(sha, length, org);
        update(sha, length, repo);
        update(sha, length, file);
        update(sha, length, classname);
        update(sha, length, name);
        update(sha, length, variant);
        return HexFormat.of().formatHex(sha.digest(), 0, 16);
    }

    /** Unicode NFC, surrounding whitespace dropped, inner runs of whitespace one space. */
    static String text(String s) {
        return folded(s) ? s : WHITESPACE.matcher(Normalizer.normalize(s, Normalizer.Form.NFC).strip()).replaceAll(" ");
    }

    /**
     * Whether {@link #text} leaves {@code s} as it is, told without normalising: printable ASCII
     * (in NFC already) with no space at either end and no two spaces together.
     */
    private static boolean folded(String s) {
        int n = s.length();
        if (n > 0 && (s.charAt(0) == ' ' || s.charAt(n - 1) == ' ')) {
            return false;
        }
        char before = 'x';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < ' ' || c > '~' || (c == ' ' && before == ' ')) {
                return false;
            }
            before = c;
        }
        return true;
    }

    /** A name with object identity hashes and memory addresses masked, which differ on every run. */
    static String name(String s) {
        String t = text(s);
        String masked = t.indexOf('@') < 0 ? t : IDENTITY_HASH.matcher(t).replaceAll("@*");
        return masked.contains("0x") ? ADDRESS.matcher(masked).replaceAll("0x*") : masked;
    }

    /**
     * A file path with {@code /} separators, without {@code ./} and repeated slashes; an absolute
     * path is cut after its last {@code /<repository name>/} segment (CI checks out into
     * {@code …/<name>/<name>/} or {@code …/<name>/}), so the same file has the same path on every runner.
     */
    static String file(String s, String repo) {
        return path(s, checkout(repo));
    }

    private static String checkout(String repo) {
        String name = repo.substring(repo.lastIndexOf('/') + 1);
        return name.isEmpty() ? null : "/" + name + "/";
    }

    private static String path(String s, String checkout) {
        String path = text(s).replace('\\', '/');
        if (path.contains("//")) {
            path = SLASHES.matcher(path).replaceAll("/");
        }
        while (path.startsWith("./")) {
            path = path.substring(2);
        }
        boolean absolute = path.startsWith("/") || (path.length() > 1 && path.charAt(1) == ':' && DRIVE.matcher(path).matches());
        if (absolute && checkout != null) {
            int at = path.lastIndexOf(checkout);
            if (at >= 0) {
                path = path.substring(at + checkout.length());
            }
        }
        return path;
    }

    /** {@code parts} and then {@code lastPart} joined: each normalised, empty ones and one equal to the one before dropped. */
    private static String joinDistinct(List<String> parts, String lastPart, String separator) {
        String joined = "";
        String last = null;
        String before = null;
        for (int i = 0; i <= parts.size(); i++) {
            String part = i < parts.size() ? parts.get(i) : lastPart;
            // Equal to the part before, it normalises the same: dropped as empty, or as equal to what was kept.
            if (!part.equals(before)) {
                before = part;
                String t = text(part);
                if (!t.isEmpty() && !t.equals(last)) {
                    joined = last == null ? t : joined + separator + t;
                    last = t;
                }
            }
        }
        return joined;
    }

    /** Adds {@code part} to {@code sha}, its UTF-8 length first as 4 bytes, big-endian. */
    private static void update(MessageDigest sha, byte[] length, String part) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        length[0] = (byte) (bytes.length >>> 24);
        length[1] = (byte) (bytes.length >>> 16);
        length[2] = (byte) (bytes.length >>> 8);
        length[3] = (byte) bytes.length;
        sha.update(length);
        sha.update(bytes);
    }

    private static MessageDigest schemeRead() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            update(sha, new byte[4], SCHEME);
            return sha;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
