package dev.mainstay.platform.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** An org's API token, stored as the hash of the token; the token itself is shown once. */
@Entity
@Table(name = "identity_api_token")
class ApiToken {

    @Id
    private UUID id;
    @Column(nullable = false, updatable = false)
    private String org;
    @Column(nullable = false, updatable = false)
    private String name;
    @Column(name = "token_hash", nullable = false, updatable = false)
    private String tokenHash;
    @Column(name = "display_prefix", nullable = false, updatable = false)
    private String displayPrefix;
    @Column(nullable = false, updatable = false)
    private String scopes;
    @Column(name = "creator_subject", nullable = false, updatable = false)
    private String creatorSubject;
    @Column(name = "creator_username", nullable = false, updatable = false)
    private String creatorUsername;
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;
    @Column(name = "expires_at", nullable = false, updatable = false)
    private Instant expiresAt;
    @Column(name = "last_used_at")
    private Instant lastUsedAt;
    @Column(name = "last_used_address")
    private String lastUsedAddress;
    @Column(name = "revoked_at")
    private Instant revokedAt;
    @Column(name = "revoked_by")
    private String revokedBy;

    /** For JPA. */
    protected ApiToken() {
    }

    ApiToken(String org, String name, String token, List<String> scopes, Caller.Person creator, Instant now, Instant expiresAt) {
        this.id = UUID.randomUUID();
        this.org = org;
        this.name = name;
        this.tokenHash = SessionCookies.sha256(token);
        this.displayPrefix = TokenFormat.displayPrefix(token);
        this.scopes = String.join(" ", scopes);
        this.creatorSubject = creator.subject();
        this.creatorUsername = creator.name();
        this.createdAt = now;
        this.expiresAt = expiresAt;
    }

    void used(Instant now, String address) {
        this.lastUsedAt = now;
        this.lastUsedAddress = address;
    }

    void revoke(String by, Instant now) {
        if (revokedAt == null) {
            this.revokedAt = now;
            this.revokedBy = by;
        }
    }

    UUID id() {
        return id;
    }

    String org() {
        return org;
    }

    String name() {
        return name;
    }

    String creatorSubject() {
        return creatorSubject;
    }

    List<String> scopes() {
        return Arrays.asList(scopes.split(" "));
    }

    Instant expiresAt() {
        return expiresAt;
    }

    Optional<Instant> revokedAt() {
        return Optional.ofNullable(revokedAt);
    }

    /** The token as lists and the API show it: never the secret. */
    TokenView view(Instant now) {
        String state = revokedAt != null ? "revoked" : expiresAt.isBefore(now) ? "expired" : "active";
        return new TokenView(id, name, displayPrefix + "…", scopes(), creatorUsername, createdAt, expiresAt,
            Optional.ofNullable(lastUsedAt), Optional.ofNullable(lastUsedAddress), state);
    }

    Caller.Machine machine() {
        return new Caller.Machine(id, name, org, Set.copyOf(scopes()), creatorUsername);
    }
}
