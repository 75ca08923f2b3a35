package dev.mainstay.platform.queue.forge.github;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Installation tokens, cached per installation until {@link #MARGIN} before they expire (GitHub's
 * last an hour), so that a call never starts with a token about to lapse, and fetched again after.
 */
final class InstallationTokens {

    /** How long before its expiry a token is replaced. */
    static final Duration MARGIN = Duration.ofMinutes(1);

    /** A token and when it expires; its text is never logged. */
    record Token(String value, Instant expiresAt) {
        @Override
        public String toString() {
            return "Token[expiresAt=" + expiresAt + "]";
        }
    }

    /** Obtains a fresh token for an installation from GitHub. */
    @FunctionalInterface
    interface Issuer {
        Token issue(long installationId);
    }

    private final Issuer issuer;
    private final Clock clock;
    private final Map<Long, Token> cache = new ConcurrentHashMap<>();

    InstallationTokens(Issuer issuer, Clock clock) {
        this.issuer = issuer;
        this.clock = clock;
    }

    /** A token for {@code installationId} valid for at least {@link #MARGIN}. */
    String token(long installationId) {
        Instant now = clock.instant();
        Token token = cache.get(installationId);
        if (token == null || !now.isBefore(token.expiresAt().minus(MARGIN))) {
            token = cache.compute(installationId, (id, old) ->
                old != null && now.isBefore(old.expiresAt().minus(MARGIN)) ? old : issuer.issue(id));
        }
        return token.value();
    }
}
