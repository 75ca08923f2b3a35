package dev.mainstay.platform.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.platform.compliance.PolicyException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyFilesTest {

    private static final Path REPO_POLICIES = Path.of("..", "policies");

    private static AccessPolicy shippedAccess() throws IOException {
        return AccessPolicy.read("access.yaml", new StringReader(Files.readString(REPO_POLICIES.resolve("access.yaml"))));
    }

    @Test
    void the_shipped_policies_define_the_roles_the_product_relies_on() throws IOException {
        AccessPolicy access = shippedAccess();
        AuthenticationPolicy auth = AuthenticationPolicy.read("authentication.yaml",
            new StringReader(Files.readString(REPO_POLICIES.resolve("authentication.yaml"))), access);

        assertEquals(Set.of("admin", "maintainer", "member", "auditor", "ci"), access.roles().keySet());
        assertTrue(access.grants(Set.of("admin"), "tokens:manage"), "an org admin makes tokens");
        assertFalse(access.grants(Set.of("member"), "members:read"), "a member cannot open org-admin pages");
        assertFalse(access.grants(Set.of("ci"), "uploads:write"), "the machine role is not a person's role");
        assertEquals(List.of("identity:read", "quarantine:read", "queue:write", "tests:read", "uploads:write"), access.tokenScopes());
        assertEquals(2, auth.requiredLevel());
        assertEquals("mfa", auth.requiredAcr());
        assertEquals(1, auth.levelOf(Optional.of("password")));
        assertEquals(0, auth.levelOf(Optional.empty()));
        assertEquals(Duration.ofMinutes(10), auth.stepUpMaxAge());
        assertTrue(auth.stepUpActions().containsAll(Set.of("tokens:manage", "roles:manage", "queue:configure",
            "evidence:export", "keys:rotate", "access-reviews:sign-off")), "every sensitive action the product names");
    }

    @Test
    void a_role_granting_an_undeclared_permission_is_refused_naming_its_line() {
        String yaml = """
            version: 1
            permissions:
              account:read: See your account
            roles:
              admin:
                kind: human
                description: x
                permissions: [account:read, tokens:manag]
            """;
        PolicyException e = assertThrows(PolicyException.class, () -> AccessPolicy.read("access.yaml", new StringReader(yaml)));
        assertEquals("access.yaml:8: role 'admin' grants 'tokens:manag', which is not declared under 'permissions'", e.getMessage());
    }

    @Test
    void an_unknown_key_is_refused_rather_than_ignored() {
        String yaml = """
            version: 1
            permissions:
              account:read: See your account
            roles:
              admin:
                kind: human
                description: x
                permisions: [account:read]
            """;
        PolicyException e = assertThrows(PolicyException.class, () -> AccessPolicy.read("access.yaml", new StringReader(yaml)));
        assertTrue(e.getMessage().startsWith("access.yaml:8: unknown key 'permisions' in 'admin'"), e.getMessage());
    }

    @Test
    void broken_yaml_names_the_line() {
        String yaml = "version: 1\npermissions:\n  account:read: [unclosed\nroles: {}\n";
        PolicyException e = assertThrows(PolicyException.class, () -> AccessPolicy.read("access.yaml", new StringReader(yaml)));
        assertTrue(e.getMessage().matches("access\\.yaml:\\d+: not valid YAML: .*"), e.getMessage());
    }

    @Test
    void a_policy_missing_a_required_role_is_refused() {
        String yaml = """
            version: 1
            permissions:
              account:read: See your account
            roles:
              admin:
                kind: human
                description: x
                permissions: [account:read]
            """;
        PolicyException e = assertThrows(PolicyException.class, () -> AccessPolicy.read("access.yaml", new StringReader(yaml)));
        assertEquals("access.yaml:4: 'roles' lacks the role 'maintainer', which Mainstay needs", e.getMessage());
    }

    @Test
    void authentication_policy_cannot_drop_the_second_factor_or_slow_revocation() throws IOException {
        AccessPolicy access = shippedAccess();
        String weak = """
            version: 1
            levels-of-assurance: {password: 1, mfa: 2}
            required-level: 1
            second-factor-methods: [otp]
            step-up: {max-age: 10m, actions: [tokens:manage]}
            session: {revalidate-every: 30s}
            """;
        PolicyException e = assertThrows(PolicyException.class,
            () -> AuthenticationPolicy.read("authentication.yaml", new StringReader(weak), access));
        assertEquals("authentication.yaml:3: required-level must be at least 2 (a second factor), not 1", e.getMessage());

        String slow = weak.replace("required-level: 1", "required-level: 2").replace("30s", "5m");
        e = assertThrows(PolicyException.class, () -> AuthenticationPolicy.read("authentication.yaml", new StringReader(slow), access));
        assertTrue(e.getMessage().startsWith("authentication.yaml:6: revalidate-every must be between 1s and 60s"), e.getMessage());
    }
}
