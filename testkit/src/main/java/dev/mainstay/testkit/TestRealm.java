package dev.mainstay.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mainstay.devservices.MainstayRealm;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The test variant of the {@code mainstay} realm, derived at run time from the dev realm file so the
 * two cannot drift: the same client, flows and demo users, plus a seeded TOTP credential for each
 * {@link TestUser} with an {@code otpSecret} and the extra users {@link TestUser#NEWCOMER} and
 * {@link TestUser#OUTSIDER}.
 */
final class TestRealm {

    /** The {@code mainstay} client's secret in tests. */
    static final String CLIENT_SECRET = "mainstay-test-client-secret";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestRealm() {
    }

    /** The realm import file's text. */
    static String json() {
        try {
            ObjectNode realm = (ObjectNode) JSON.readTree(MainstayRealm.json());
            ArrayNode users = (ArrayNode) realm.get("users");
            for (var user : users) {
                String name = user.path("username").asText();
                if (MainstayRealm.DEMO_USERS.contains(name)) {
                    addOtp((ObjectNode) user, TestUser.byUsername(name));
                }
            }
            users.add(user(TestUser.NEWCOMER, "Nora", "Newcomer"));
            users.add(user(TestUser.OUTSIDER, "Otto", "Outsider"));
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(realm);
        } catch (IOException e) {
            throw new IllegalStateException("The dev realm file is not valid JSON", e);
        }
    }

    /** The environment that resolves the realm file's placeholders. */
    static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(MainstayRealm.CLIENT_SECRET_ENV, CLIENT_SECRET);
        for (String demo : MainstayRealm.DEMO_USERS) {
            env.put(MainstayRealm.demoPasswordEnv(demo), TestUser.byUsername(demo).password());
        }
        return env;
    }

    private static ObjectNode user(TestUser user, String firstName, String lastName) {
        ObjectNode node = JSON.createObjectNode()
            .put("username", user.username())
            .put("enabled", true)
            .put("email", user.username() + "@" + user.org() + ".example")
            .put("emailVerified", true)
            .put("firstName", firstName)
            .put("lastName", lastName);
        node.putArray("credentials").addObject()
            .put("type", "password").put("value", user.password()).put("temporary", false);
        node.putArray("requiredActions");
        node.putArray("groups").add(user.group());
        node.putObject("clientRoles").putArray(MainstayRealm.CLIENT_ID).add(user.role());
        addOtp(node, user);
        return node;
    }

    /**
     * Seeds an OTP credential as Keycloak 26 imports it: the secret in {@code secretData}, the policy
     * in {@code credentialData}; {@code secretEncoding: BASE32} makes Keycloak decode the secret
     * (without it, Keycloak would use the string's UTF-8 bytes as the key).
     */
    private static void addOtp(ObjectNode user, TestUser test) {
        if (!test.hasOtp()) {
            return;
        }
        ArrayNode credentials = user.has("credentials") ? (ArrayNode) user.get("credentials") : user.putArray("credentials");
        credentials.addObject()
            .put("type", "otp")
            .put("userLabel", "testkit authenticator")
            .put("secretData", JSON.createObjectNode().put("value", test.otpSecret()).toString())
            .put("credentialData", JSON.createObjectNode()
                .put("subType", "totp").put("digits", Totp.DIGITS).put("counter", 0)
                .put("period", Totp.PERIOD_SECONDS).put("algorithm", "HmacSHA1").put("secretEncoding", "BASE32")
                .toString());
    }
}
