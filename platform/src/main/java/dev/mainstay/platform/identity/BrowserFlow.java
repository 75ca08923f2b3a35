package dev.mainstay.platform.identity;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.representations.idm.AuthenticationExecutionInfoRepresentation;
import org.keycloak.representations.idm.AuthenticationFlowRepresentation;
import org.keycloak.representations.idm.AuthenticatorConfigRepresentation;

/**
 * Mainstay's browser flow in Keycloak: levels of authentication, so that a client asking for
 * {@code mfa} gets a second factor and the SSO cookie alone satisfies only what it proved.
 *
 * <pre>
 * mainstay browser
 *   Cookie                                            ALTERNATIVE
 *   mainstay browser forms                            ALTERNATIVE
 *     mainstay level 1 password                       CONDITIONAL
 *       Condition - level of authentication (1)       REQUIRED
 *       Username Password Form                        REQUIRED
 *     mainstay level 2 mfa                            CONDITIONAL
 *       Condition - level of authentication (2)       REQUIRED
 *       mainstay second factor                        CONDITIONAL
 *         Condition - user configured                 REQUIRED
 *         OTP Form                                    ALTERNATIVE
 *         WebAuthn Authenticator                      ALTERNATIVE
 *       mainstay second factor enrollment             CONDITIONAL
 *         Condition - sub-flow executed (not-executed: mainstay second factor)  REQUIRED
 *         OTP Form                                    REQUIRED
 * </pre>
 *
 * <p>A person with an OTP app or a security key uses either at level 2. A person with neither
 * reaches the enrollment sub-flow, whose OTP Form is REQUIRED: only a REQUIRED step makes
 * Keycloak set up a missing credential, so OTP and WebAuthn as bare alternatives would lock out
 * everyone who has not enrolled yet.
 *
 * <p>The same flow is in the dev realm file; {@code keycloak bootstrap --check} against the dev
 * realm finding nothing to change is what keeps the two the same (a test does that).
 */
final class BrowserFlow {

    /** The top-level flow's alias, bound as the realm's browser flow. */
    static final String ALIAS = "mainstay browser";
    static final String SECOND_FACTOR = "mainstay second factor";

    private static final String ALTERNATIVE = "ALTERNATIVE";
    private static final String REQUIRED = "REQUIRED";
    private static final String CONDITIONAL = "CONDITIONAL";
    private static final String LOA_MAX_AGE = "36000";

    /** A step of a flow: an authenticator or a sub-flow. */
    sealed interface Step {
        String requirement();
    }

    /** An authenticator, with its configuration when it has one. */
    record Execution(String provider, String requirement, Optional<Config> config) implements Step {
    }

    /** A sub-flow and its steps. */
    record SubFlow(String alias, String description, String requirement, List<Step> steps) implements Step {
    }

    /** An authenticator's configuration. */
    record Config(String alias, Map<String, String> values) {
    }

    /** One row of Keycloak's flattened view of a flow, reduced to what Mainstay sets. */
    record Row(int level, String name, String requirement, Map<String, String> config) {
        @Override
        public String toString() {
            return "  ".repeat(level) + name + " " + requirement + (config.isEmpty() ? "" : " " + config);
        }
    }

    static final List<Step> STEPS = List.of(
        new Execution("auth-cookie", ALTERNATIVE, Optional.empty()),
        new SubFlow("mainstay browser forms",
            "The levels a login steps through when the SSO cookie does not satisfy the requested one.", ALTERNATIVE, List.of(
            new SubFlow("mainstay level 1 password", "Level of authentication 1: username and password.", CONDITIONAL, List.of(
                loa("mainstay level 1 password", 1),
                new Execution("auth-username-password-form", REQUIRED, Optional.empty()))),
            new SubFlow("mainstay level 2 mfa", "Level of authentication 2: a second factor, OTP or WebAuthn.",
                CONDITIONAL, List.of(
                loa("mainstay level 2 mfa", 2),
                new SubFlow(SECOND_FACTOR, "A person who has an OTP app or a security key uses either.", CONDITIONAL, List.of(
                    new Execution("conditional-user-configured", REQUIRED, Optional.empty()),
                    new Execution("auth-otp-form", ALTERNATIVE, Optional.empty()),
                    new Execution("webauthn-authenticator", ALTERNATIVE, Optional.empty()))),
                new SubFlow("mainstay second factor enrollment",
                    "A person with no second factor yet sets up an OTP app (only a REQUIRED step makes Keycloak set one up).",
                    CONDITIONAL, List.of(
                    new Execution("conditional-sub-flow-executed", REQUIRED, Optional.of(new Config(
                        "mainstay second factor enrollment",
                        Map.of("flow_to_check", SECOND_FACTOR, "check_result", "not-executed")))),
                    new Execution("auth-otp-form", REQUIRED, Optional.empty()))))))));

    private final KeycloakAdminClient keycloak;

    BrowserFlow(KeycloakAdminClient keycloak) {
        this.keycloak = keycloak;
    }

    private static Execution loa(String alias, int level) {
        return new Execution("conditional-level-of-authentication", REQUIRED, Optional.of(new Config(alias,
            Map.of("loa-condition-level", Integer.toString(level), "loa-max-age", LOA_MAX_AGE))));
    }

    /** The rows Keycloak shows for the flow as Mainstay defines it. */
    static List<Row> expectedRows() {
        List<Row> rows = new ArrayList<>();
        flatten(STEPS, 0, rows);
        return rows;
    }

    private static void flatten(List<Step> steps, int level, List<Row> rows) {
        for (Step step : steps) {
            switch (step) {
                case Execution e -> rows.add(new Row(level, e.provider(), e.requirement(),
                    e.config().map(Config::values).orElse(Map.of())));
                case SubFlow f -> {
                    rows.add(new Row(level, f.alias(), f.requirement(), Map.of()));
                    flatten(f.steps(), level + 1, rows);
                }
            }
        }
    }

    /** The flow's id in the realm, when a flow with Mainstay's alias exists. */
    Optional<String> existingId() {
        return keycloak.get("/authentication/flows", new TypeReference<List<AuthenticationFlowRepresentation>>() { })
            .stream().filter(f -> ALIAS.equals(f.getAlias())).map(AuthenticationFlowRepresentation::getId).findFirst();
    }

    /** The rows of the flow as it is in the realm. */
    List<Row> actualRows() {
        List<Row> rows = new ArrayList<>();
        for (AuthenticationExecutionInfoRepresentation row : executions(ALIAS)) {
            boolean flow = Boolean.TRUE.equals(row.getAuthenticationFlow());
            Map<String, String> config = row.getAuthenticationConfig() == null ? Map.of()
                : keycloak.get("/authentication/config/" + row.getAuthenticationConfig(),
                    new TypeReference<AuthenticatorConfigRepresentation>() { }).getConfig();
            rows.add(new Row(row.getLevel(), flow ? row.getDisplayName() : row.getProviderId(), row.getRequirement(),
                config == null ? Map.of() : Map.copyOf(config)));
        }
        return rows;
    }

    /** Deletes the flow with its sub-flows; it must not be bound anywhere. */
    void delete(String id) {
        keycloak.delete("/authentication/flows/" + id);
    }

    /** Creates the flow from {@link #STEPS}. */
    void create() {
        AuthenticationFlowRepresentation top = new AuthenticationFlowRepresentation();
        top.setAlias(ALIAS);
        top.setDescription("Mainstay: browser login with levels of authentication (password, then a second factor).");
        top.setProviderId("basic-flow");
        top.setTopLevel(true);
        top.setBuiltIn(false);
        keycloak.post("/authentication/flows", top);
        add(ALIAS, STEPS);
    }

    private void add(String parent, List<Step> steps) {
        String base = "/authentication/flows/" + KeycloakHttp.pathSegment(parent) + "/executions";
        for (Step step : steps) {
            switch (step) {
                case Execution e -> keycloak.post(base + "/execution", Map.of("provider", e.provider()));
                case SubFlow f -> keycloak.post(base + "/flow", Map.of("alias", f.alias(), "type", "basic-flow",
                    "provider", "registration-page-form", "description", f.description()));
            }
            // Keycloak appends each new step last at the parent's level and makes it DISABLED.
            AuthenticationExecutionInfoRepresentation added = executions(parent).stream()
                .filter(row -> row.getLevel() == 0)
                .reduce((first, second) -> second)
                .orElseThrow(() -> new KeycloakAdminException("Keycloak did not add a step to flow '" + parent + "'"));
            added.setRequirement(step.requirement());
            keycloak.put(base, added);
            switch (step) {
                case Execution e -> e.config().ifPresent(config -> {
                    AuthenticatorConfigRepresentation rep = new AuthenticatorConfigRepresentation();
                    rep.setAlias(config.alias());
                    rep.setConfig(config.values());
                    keycloak.post("/authentication/executions/" + added.getId() + "/config", rep);
                });
                case SubFlow f -> add(f.alias(), f.steps());
            }
        }
    }

    private List<AuthenticationExecutionInfoRepresentation> executions(String flowAlias) {
        return keycloak.get("/authentication/flows/" + KeycloakHttp.pathSegment(flowAlias) + "/executions",
            new TypeReference<>() { });
    }
}
