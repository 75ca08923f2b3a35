package dev.mainstay.reports;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.ArrayList;
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
    private static final String JOIN = " › ";

    /**
     * The identity of {@code execution}, uploaded to {@code org}'s {@code repo} with the upload's
     * {@code variant} (empty when none).
     */
    public static TestIdentity of(String org, String repo, TestExecution execution, String variant) {
        List<String> classParts = new ArrayList<>(execution.suites());
        classParts.add(execution.classname());
        String variants = joinDistinct(List.of(variant, execution.variant()), "/");
        return new TestIdentity(text(org), text(repo), file(execution.file(), repo), joinDistinct(classParts, JOIN),
            name(execution.name()), variants);
    }

    /** The id: the first 16 bytes of SHA-256 over the scheme and the six parts, in lower-case hex (32 characters). */
    public String id() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        for (String part : List.of(SCHEME, org, repo, file, classname, name, variant)) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
            sha.update(bytes);
        }
        byte[] digest = sha.digest();
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    /** Unicode NFC, surrounding whitespace dropped, inner runs of whitespace one space. */
    static String text(String s) {
        return WHITESPACE.matcher(Normalizer.normalize(s, Normalizer.Form.NFC).strip()).replaceAll(" ");
    }

    /** A name with object identity hashes and memory addresses masked, which differ on every run. */
    static String name(String s) {
        String masked = IDENTITY_HASH.matcher(text(s)).replaceAll("@*");
        return ADDRESS.matcher(masked).replaceAll("0x*");
    }

    /**
     * A file path with {@code /} separators, without {@code ./} and repeated slashes; an absolute
     * path is cut after its last {@code /<repository name>/} segment (CI checks out into
     * {@code …/<name>/<name>/} or {@code …/<name>/}), so the same file has the same path on every runner.
     */
    static String file(String s, String repo) {
        String path = text(s).replace('\\', '/').replaceAll("/{2,}", "/");
        while (path.startsWith("./")) {
            path = path.substring(2);
        }
        boolean absolute = path.startsWith("/") || path.matches("^[A-Za-z]:/.*");
        String name = repo.substring(repo.lastIndexOf('/') + 1);
        if (absolute && !name.isEmpty()) {
            int at = path.lastIndexOf("/" + name + "/");
            if (at >= 0) {
                path = path.substring(at + name.length() + 2);
            }
        }
        return path;
    }

    private static String joinDistinct(List<String> parts, String separator) {
        List<String> kept = new ArrayList<>();
        for (String part : parts) {
            String t = text(part);
            if (!t.isEmpty() && (kept.isEmpty() || !kept.getLast().equals(t))) {
                kept.add(t);
            }
        }
        return String.join(separator, kept);
    }
}
