package dev.mainstay.platform.queue.web;

import dev.mainstay.platform.identity.Caller;
import dev.mainstay.platform.queue.worker.QueueDefaults;
import dev.mainstay.platform.queue.worker.QueueStore.QueueKey;
import java.util.Optional;

/** Which repository branch a queue page or request names, when the org may see it. */
final class QueueBranches {

    private QueueBranches() {
    }

    /** The caller's org that sees {@code repo}: a token's own org, or the first of a person's orgs that sees it. */
    static Optional<String> orgOf(QueueDefaults defaults, Caller caller, String repo) {
        return switch (caller) {
            case Caller.Machine token -> Optional.of(token.org()).filter(o -> defaults.sees(o, repo));
            case Caller.Person person -> person.orgs().stream().filter(o -> defaults.sees(o, repo)).findFirst();
        };
    }

    /** {@code owner/name}'s {@code branch}, if {@code org} sees that repository and the names are valid. */
    static Optional<QueueKey> key(QueueDefaults defaults, String org, String owner, String name, String branch) {
        String repo = owner + "/" + name;
        if (branch == null || !defaults.sees(org, repo)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new QueueKey(repo, branch));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
