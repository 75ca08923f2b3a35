package dev.mainstay.platform.flaky;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;

/**
 * A test in quarantine: its failures do not fail CI ({@code mainstay test}), and the merge queue
 * does not hold a pull request back for them.
 *
 * @param testId        the test's id (docs/test-identity.md)
 * @param repo          its repository
 * @param file          its file, class, name and variant, as its uploads named it last
 * @param classname     see {@code file}
 * @param name          see {@code file}
 * @param variant       see {@code file}
 * @param status        what detection calls it now: healthy, flaky or broken
 * @param source        {@code manual} (a person) or {@code auto} (the repository's policy)
 * @param reason        why
 * @param owner         who owns the fix; may be empty
 * @param expiresAt     when it ends by itself; empty for never
 * @param quarantinedBy the username, or the policy's job
 * @param quarantinedAt since when
 */
public record Quarantine(String testId, String repo, String file, String classname, String name, String variant, String status,
                         String source, String reason, String owner, Optional<Instant> expiresAt, String quarantinedBy,
                         Instant quarantinedAt) {

    /** One line for the audit trail: source, reason, owner and expiry. */
    String describe() {
        return source + ": " + reason + (owner.isEmpty() ? "" : "; owner " + owner) + expiresAt.map(e -> "; until " + e).orElse("");
    }

    /** As the API shows it. */
    void write(ObjectNode out) {
        out.put("test_id", testId);
        out.put("repo", repo);
        out.put("file", file);
        out.put("classname", classname);
        out.put("name", name);
        out.put("variant", variant);
        out.put("status", status);
        out.put("source", source);
        out.put("reason", reason);
        out.put("owner", owner);
        if (expiresAt.isPresent()) {
            out.put("expires_at", expiresAt.get().toString());
        } else {
            out.putNull("expires_at");
        }
        out.put("quarantined_by", quarantinedBy);
        out.put("quarantined_at", quarantinedAt.toString());
    }
}
