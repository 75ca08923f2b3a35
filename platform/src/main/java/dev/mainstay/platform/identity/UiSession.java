package dev.mainstay.platform.identity;

import dev.mainstay.platform.crypto.Encrypted;
import dev.mainstay.platform.crypto.EncryptedColumns;
import dev.mainstay.platform.crypto.EncryptedRow;
import dev.mainstay.platform.crypto.FieldContext;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * A person's browser session: who signed in, how strongly, when, and when Keycloak last
 * confirmed the session is still good. Found by the hash of the token inside the session cookie.
 * The person's name, e-mail address and ID token are encrypted ({@link Encrypted}).
 */
@Entity
@Table(name = "identity_session")
class UiSession implements EncryptedRow {

    /** The appliance's data key that encrypts people's names, e-mail addresses and ID tokens. */
    static final String ENCRYPTION_PURPOSE = "identity";

    @Id
    private UUID id;
    @Column(name = "token_hash", nullable = false, updatable = false)
    private String tokenHash;
    @Column(nullable = false, updatable = false)
    private String subject;
    @Column(nullable = false)
    private String username;
    @Column(name = "github_login", nullable = false)
    private String githubLogin;
    @Encrypted(purpose = ENCRYPTION_PURPOSE)
    @Column(name = "display_name", nullable = false)
    private byte[] displayName;
    @Encrypted(purpose = ENCRYPTION_PURPOSE)
    @Column(nullable = false)
    private byte[] email;
    /** {@link #emailIndex} of the address, to find a person's sessions by e-mail. */
    @Column(name = "email_index", nullable = false)
    private byte[] emailIndex;
    @Column(name = "keycloak_session_id")
    private String keycloakSessionId;
    @Column(nullable = false, updatable = false)
    private String acr;
    @Column(nullable = false, updatable = false)
    private String amr;
    @Column(name = "auth_time", nullable = false, updatable = false)
    private Instant authTime;
    @Column(nullable = false)
    private String orgs;
    @Column(nullable = false)
    private String roles;
    @Encrypted(purpose = ENCRYPTION_PURPOSE)
    @Column(name = "id_token", nullable = false)
    private byte[] idToken;
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;
    @Column(name = "confirmed_at", nullable = false)
    private Instant confirmedAt;
    @Column(name = "ended_at")
    private Instant endedAt;
    @Column(name = "end_reason")
    private String endReason;

    /** For JPA. */
    protected UiSession() {
    }

    UiSession(String tokenHash, IdToken token, Instant now, EncryptedColumns columns) {
        this.id = UUID.randomUUID();
        this.tokenHash = tokenHash;
        this.subject = token.subject();
        this.acr = token.acr().orElse("");
        this.amr = String.join(" ", token.amr().orElse(List.of()));
        this.authTime = token.authTime();
        this.createdAt = now;
        confirmed(token, now, columns);
    }

    /** Takes the current name, orgs and roles from a fresh ID token. */
    void confirmed(IdToken token, Instant now, EncryptedColumns columns) {
        this.username = token.username();
        this.githubLogin = token.githubLogin();
        this.displayName = columns.seal(this, "displayName", token.displayName());
        this.email = columns.seal(this, "email", token.email());
        this.emailIndex = emailIndex(columns, token.email());
        this.keycloakSessionId = token.sessionId().orElse(null);
        this.orgs = String.join(" ", token.orgs());
        this.roles = String.join(" ", token.roles());
        this.idToken = columns.seal(this, "idToken", token.raw());
        this.confirmedAt = now;
    }

    /** The blind index under which sessions of {@code email} are found: the address trimmed and lower-cased. */
    static byte[] emailIndex(EncryptedColumns columns, String email) {
        return columns.blindIndex(UiSession.class, FieldContext.APPLIANCE, "email", email.strip().toLowerCase(Locale.ROOT));
    }

    /** Whether the person was in {@code org} when the session was last confirmed. */
    boolean inOrg(String org) {
        return words(orgs).contains(org);
    }

    String subject() {
        return subject;
    }

    String username() {
        return username;
    }

    /** The Mainstay roles of the ID token the session was last confirmed with. */
    List<String> roles() {
        return words(roles);
    }

    void end(String reason, Instant now) {
        if (endedAt == null) {
            this.endedAt = now;
            this.endReason = reason;
        }
    }

    UUID id() {
        return id;
    }

    @Override
    public String keyOrg() {
        return FieldContext.APPLIANCE;
    }

    @Override
    public String rowId() {
        return id.toString();
    }

    Instant confirmedAt() {
        return confirmedAt;
    }

    Optional<Instant> endedAt() {
        return Optional.ofNullable(endedAt);
    }

    String idToken(EncryptedColumns columns) {
        return columns.open(this, "idToken", idToken);
    }

    Instant createdAt() {
        return createdAt;
    }

    Caller.Person person(EncryptedColumns columns) {
        return new Caller.Person(id, subject, username, columns.open(this, "displayName", displayName),
            columns.open(this, "email", email), githubLogin, words(orgs),
            new LinkedHashSet<>(roles()), acr, words(amr), authTime);
    }

    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : Arrays.asList(text.split(" "));
    }
}
