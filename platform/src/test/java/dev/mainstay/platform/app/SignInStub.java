package dev.mainstay.platform.app;

import java.util.HashMap;
import java.util.Map;

/**
 * Sign-in settings for tests that start the appliance but sign nobody in: they name a Keycloak
 * that is never asked (Mainstay reads the realm lazily, on the first sign-in), so dev mode does
 * not start its own Keycloak and serve finds every required sign-in key.
 */
final class SignInStub {

    /** An issuer on the discard port of loopback: nothing answers there. */
    static final String UNUSED_ISSUER = "http://127.0.0.1:9/realms/mainstay";

    private SignInStub() {
    }

    /** {@code properties} plus the stub's sign-in settings. */
    static Map<String, String> with(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.put("mainstay.oidc.issuer", UNUSED_ISSUER);
        all.put("mainstay.oidc.client-secret", "unused-in-this-test");
        all.putIfAbsent("mainstay.http.public-url", "https://mainstay.example");
        all.put("mainstay.session.secret", "a-test-session-secret-of-at-least-32-characters");
        return Map.copyOf(all);
    }
}
