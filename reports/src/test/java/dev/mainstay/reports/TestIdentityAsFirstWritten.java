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
 * {@link TestIdentity}'s rules as they were first written, plainly and without fast paths (commit
 * e6cc059), kept so that tests can check that the faster code gives the same identities and ids.
 * Never change it: it is what stored ids were computed with.
 */
final class TestIdentityAsFirstWritten {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern IDENTITY_HASH = Pattern.compile("@[0-9a-fA-F]{6,16}\\b");
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{6,16}\\b");
    private static final String JOIN = " › ";

    private TestIdentityAsFirstWritten() {
    }

    static TestIdentity of(String org, String repo, TestExecution execution, String variant) {
        List<String> classParts = new ArrayList<>(execution.suites());
        classParts.add(execution.classname());
        String variants = joinDistinct(List.of(variant, execution.variant()), "/");
        return new TestIdentity(text(org), text(repo), file(execution.file(), repo), joinDistinct(classParts, JOIN),
            name(execution.name()), variants);
    }

    static String id(TestIdentity identity) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        for (String part : List.of(TestIdentity.SCHEME, identity.org(), identity.repo(), identity.file(), identity.classname(),
            identity.name(), identity.variant())) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
            sha.update(bytes);
        }
        byte[] digest = sha.digest();
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    static String text(String s) {
        return WHITESPACE.matcher(Normalizer.normalize(s, Normalizer.Form.NFC).strip()).replaceAll(" ");
    }

    static String name(String s) {
        String masked = IDENTITY_HASH.matcher(text(s)).replaceAll("@*");
        return ADDRESS.matcher(masked).replaceAll("0x*");
    }

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
