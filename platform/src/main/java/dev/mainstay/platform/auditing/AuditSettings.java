package dev.mainstay.platform.auditing;

import dev.mainstay.audit.AuditCrypto;
import dev.mainstay.audit.SigningKey;
import dev.mainstay.platform.ConfigValues;
import dev.mainstay.platform.crypto.CryptoSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Where the audit trail's checkpoint signing key is. How often checkpoints are signed and Keycloak's
 * events pulled in are the schedules of the jobs {@code audit-checkpoint} and {@code keycloak-events}
 * ({@code mainstay.jobs.<name>.schedule}).
 *
 * @param signingKey PEM file with the signing key's private and public halves (owner-only)
 * @param fips       sign with ECDSA P-256 on BouncyCastle FIPS ({@value CryptoSettings#FIPS})
 */
public record AuditSettings(Optional<Path> signingKey, boolean fips) {

    public static final String SIGNING_KEY = "mainstay.audit.signing-key";

    /** Read from {@code config}; {@link #problems()} says whether usable. */
    public static AuditSettings from(Config config) {
        return new AuditSettings(ConfigValues.text(config, SIGNING_KEY).map(Path::of), CryptoSettings.from(config).fips());
    }

    /** What must be fixed; each problem names its key. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (signingKey.isEmpty()) {
            problems.add(SIGNING_KEY + " is not set: the audit trail's checkpoints need a signing key (make one with "
                + "./mainstay audit keygen --out FILE)");
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
