package dev.mainstay.platform.identity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * An API token as lists and the API show it; the secret is never part of it.
 *
 * @param id              the token's id
 * @param name            what it is for
 * @param prefix          its first characters, to recognise it
 * @param scopes          what it may do
 * @param creator         username of the admin who made it
 * @param createdAt       when
 * @param expiresAt       when it stops working
 * @param lastUsedAt      when it was last used
 * @param lastUsedAddress from which address
 * @param state           {@code active}, {@code expired} or {@code revoked}
 */
public record TokenView(UUID id, String name, String prefix, List<String> scopes, String creator, Instant createdAt,
                        Instant expiresAt, Optional<Instant> lastUsedAt, Optional<String> lastUsedAddress, String state) {
}
