package dev.mainstay.platform.identity;

import dev.mainstay.platform.compliance.PolicyException;
import dev.mainstay.platform.compliance.YamlDocument;
import java.io.Reader;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How strongly a person must have signed in, from {@code policies/authentication.yaml}.
 *
 * @param levels              {@code acr} value to level of assurance
 * @param requiredLevel       the least level any session needs
 * @param secondFactorMethods {@code amr} values that count as a second factor
 * @param stepUpMaxAge        how recent the sign-in must be for a sensitive action
 * @param stepUpActions       the permissions that are sensitive actions
 * @param revalidateEvery     how often a session is re-confirmed with Keycloak
 */
public record AuthenticationPolicy(Map<String, Integer> levels,
                                   int requiredLevel,
                                   Set<String> secondFactorMethods,
                                   Duration stepUpMaxAge,
                                   Set<String> stepUpActions,
                                   Duration revalidateEvery) {

    /** The longest revalidation interval allowed: a disabled user must lose access within a minute. */
    static final Duration LONGEST_REVALIDATION = Duration.ofSeconds(60);

    /**
     * Reads and checks the file against the access policy's permissions.
     *
     * @throws PolicyException naming the file and line of the first problem
     */
    public static AuthenticationPolicy read(String file, Reader text, AccessPolicy access) {
        YamlDocument.Mapping root = YamlDocument.parse(file, text).allowOnly(Set.of(
            "version", "levels-of-assurance", "required-level", "second-factor-methods", "step-up", "session"));
        if (root.integer("version") != 1) {
            throw root.errorAtValue("version", "version must be 1, the only authentication policy format this Mainstay reads");
        }
        YamlDocument.Mapping levelsNode = root.mapping("levels-of-assurance");
        Map<String, Integer> levels = new LinkedHashMap<>();
        for (String acr : levelsNode.keys()) {
            int level = levelsNode.integer(acr);
            if (level < 0) {
                throw levelsNode.errorAtValue(acr, "level of '" + acr + "' must be 0 or more, not " + level);
            }
            levels.put(acr, level);
        }
        int required = root.integer("required-level");
        if (required < 2) {
            throw root.errorAtValue("required-level", "required-level must be at least 2 (a second factor), not " + required);
        }
        if (levels.values().stream().noneMatch(level -> level >= required)) {
            throw root.errorAtValue("required-level", "no acr value in levels-of-assurance reaches required-level " + required);
        }
        YamlDocument.Mapping stepUp = root.mapping("step-up").allowOnly(Set.of("max-age", "actions"));
        Duration maxAge = stepUp.duration("max-age");
        List<String> actions = stepUp.strings("actions");
        for (String action : actions) {
            if (!access.permissions().containsKey(action)) {
                throw stepUp.errorAtValue("actions", "step-up action '" + action + "' is not a permission declared in access.yaml");
            }
        }
        YamlDocument.Mapping session = root.mapping("session").allowOnly(Set.of("revalidate-every"));
        Duration revalidate = session.duration("revalidate-every");
        if (revalidate.isZero() || revalidate.compareTo(LONGEST_REVALIDATION) > 0) {
            throw session.errorAtValue("revalidate-every", "revalidate-every must be between 1s and 60s, so that a person"
                + " disabled in Keycloak loses access within a minute; it is " + revalidate.toSeconds() + "s");
        }
        return new AuthenticationPolicy(Map.copyOf(levels), required, Set.copyOf(root.strings("second-factor-methods")),
            maxAge, Set.copyOf(actions), revalidate);
    }

    /** The level an {@code acr} value stands for; an unknown or missing value is level 0. */
    public int levelOf(Optional<String> acr) {
        return acr.map(levels::get).orElse(0);
    }

    /** The acr value to ask Keycloak for: the lowest one meeting the required level. */
    public String requiredAcr() {
        return levels.entrySet().stream()
            .filter(e -> e.getValue() >= requiredLevel)
            .min(Map.Entry.comparingByValue())
            .orElseThrow()
            .getKey();
    }
}
