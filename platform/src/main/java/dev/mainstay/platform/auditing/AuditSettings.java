package dev.mainstay.platform.auditing;

import dev.mainstay.audit.AuditCrypto;
import dev.mainstay.audit.SigningKey;
import dev.mainstay.platform.ConfigValues;
import dev.mainstay.platform.crypto.CryptoSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Where the audit trail's checkpoint signing key is, how often checkpoints are signed, and how
 * often Keycloak's events are pulled in.
 *
 * @param signingKey             PEM file with the signing key's private and public halves (owner-only)
 * @param checkpointInterval     how often the head is signed when new events arrived
 * @param keycloakEventsInterval how often Keycloak's user events are pulled into the trail
 * @param fips               sign with ECDSA P-256 on BouncyCastle FIPS ({@value CryptoSettings#FIPS})
 */
public record AuditSettings(Optional<Path> signingKey, Duration checkpointInterval, Duration keycloakEventsInterval, boolean fips) {

    public static final String SIGNING_KEY = "mainstay.audit.signing-key";
    public static final String CHECKPOINT_INTERVAL = "mainstay.audit.checkpoint-interval";
    public static final String KEYCLOAK_EVENTS_INTERVAL = "mainstay.audit.keycloak-events-interval";

    /** Read from {@code config}; {@link #problems()} says whether usable. */
    public static AuditSettings from(Config config) {
        Duration interval = ConfigValues.text(config, CHECKPOINT_INTERVAL).map(ConfigValues::duration).orElse(Duration.ofHours(1));
        Duration keycloakEvents = ConfigValues.text(config, KEYCLOAK_EVENTS_INTERVAL).map(ConfigValues::duration)
            .orElse(Duration.ofMinutes(1));
        return new AuditSettings(ConfigValues.text(config, SIGNING_KEY).map(Path::of), interval, keycloakEvents,
            CryptoSettings.from(config).fips());
    }

    /** What must be fixed; each problem names its key. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (signingKey.isEmpty()) {
            problems.add(SIGNING_KEY + " is not set: the audit trail's checkpoints need a signing key (make one with "
                + "./mainstay audit keygen --out FILE)");
        }
        if (checkpointInterval.compareTo(Duration.ofMinutes(1)) < 0 || checkpointInterval.compareTo(Duration.ofDays(1)) > 0) {
            problems.add(CHECKPOINT_INTERVAL + " must be a duration from 1m to 24h, e.g. 1h or PT15M");
        }
        if (keycloakEventsInterval.compareTo(Duration.ofSeconds(1)) < 0 || keycloakEventsInterval.compareTo(Duration.ofHours(1)) > 0) {
            problems.add(KEYCLOAK_EVENTS_INTERVAL + " must be a duration from 1s to 1h, e.g. 1m or PT30S");
        }
        return problems;
    }

    /** The provider mode for the trail's hashing and signing. */
    public AuditCrypto crypto() {
        return AuditCrypto.of(fips);
    }

    /**
     * The signing key.
     *
     * @throws IllegalArgumentException naming the file and what is wrong
     */
    public SigningKey loadKey() {
        return loadKey(crypto());
    }

    /** {@link #loadKey()} on a provider mode already made. */
    public SigningKey loadKey(AuditCrypto crypto) {
        return SigningKey.read(signingKey.orElseThrow(() -> new IllegalArgumentException(String.join("; ", problems()))), crypto);
    }
}
