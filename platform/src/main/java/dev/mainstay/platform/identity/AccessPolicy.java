package dev.mainstay.platform.identity;

import dev.mainstay.platform.compliance.PolicyException;
import dev.mainstay.platform.compliance.YamlDocument;
import java.io.Reader;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Roles and their permissions, from {@code policies/access.yaml}.
 *
 * @param permissions every permission with its one-line description, in file order
 * @param roles       every role by name
 */
public record AccessPolicy(Map<String, String> permissions, Map<String, Role> roles) {

    /** The role API tokens act with. */
    public static final String MACHINE_ROLE = "ci";
    /** Roles the product relies on; the file must define each. */
    static final List<String> REQUIRED_ROLES = List.of("admin", "maintainer", "member", "auditor", MACHINE_ROLE);

    private static final Pattern PERMISSION_NAME = Pattern.compile("[a-z][a-z-]*:[a-z][a-z-]*");

    /** Who holds a role: a person signed in through Keycloak, or a machine with an API token. */
    public enum Kind { HUMAN, MACHINE }

    /**
     * One role.
     *
     * @param name        as in Keycloak's {@code mainstay} client roles
     * @param kind        human or machine
     * @param description what the role is for
     * @param permissions what it may do
     */
    public record Role(String name, Kind kind, String description, Set<String> permissions) {
    }

    /**
     * Reads and checks the file.
     *
     * @throws PolicyException naming the file and line of the first problem
     */
    public static AccessPolicy read(String file, Reader text) {
        YamlDocument.Mapping root = YamlDocument.parse(file, text).allowOnly(Set.of("version", "permissions", "roles"));
        if (root.integer("version") != 1) {
            throw root.errorAtValue("version", "version must be 1, the only access policy format this Mainstay reads");
        }
        YamlDocument.Mapping declared = root.mapping("permissions");
        Map<String, String> permissions = new LinkedHashMap<>();
        for (String name : declared.keys()) {
            if (!PERMISSION_NAME.matcher(name).matches()) {
                throw declared.errorAt(name, "permission '" + name + "' must look like area:action, e.g. tokens:manage");
            }
            permissions.put(name, declared.string(name));
        }
        YamlDocument.Mapping rolesNode = root.mapping("roles");
        Map<String, Role> roles = new LinkedHashMap<>();
        for (String name : rolesNode.keys()) {
            YamlDocument.Mapping role = rolesNode.mapping(name).allowOnly(Set.of("kind", "description", "permissions"));
            String kindText = role.string("kind");
            Kind kind = switch (kindText) {
                case "human" -> Kind.HUMAN;
                case "machine" -> Kind.MACHINE;
                default -> throw role.errorAtValue("kind", "kind of role '" + name + "' must be human or machine, not '" + kindText + "'");
            };
            Set<String> granted = new LinkedHashSet<>();
            for (String permission : role.strings("permissions")) {
                if (!permissions.containsKey(permission)) {
                    throw role.errorAtValue("permissions", "role '" + name + "' grants '" + permission
                        + "', which is not declared under 'permissions'");
                }
                granted.add(permission);
            }
            roles.put(name, new Role(name, kind, role.string("description"), Set.copyOf(granted)));
        }
        for (String required : REQUIRED_ROLES) {
            if (!roles.containsKey(required)) {
                throw root.errorAt("roles", "'roles' lacks the role '" + required + "', which Mainstay needs");
            }
        }
        if (roles.get(MACHINE_ROLE).kind() != Kind.MACHINE) {
            throw root.errorAt("roles", "role '" + MACHINE_ROLE + "' must have kind machine: API tokens act with it");
        }
        return new AccessPolicy(Map.copyOf(permissions), Map.copyOf(roles));
    }

    /** Whether any of {@code roleNames} grants {@code permission}; unknown role names grant nothing. */
    public boolean grants(Set<String> roleNames, String permission) {
        for (String name : roleNames) {
            Role role = roles.get(name);
            if (role != null && role.kind() == Kind.HUMAN && role.permissions().contains(permission)) {
                return true;
            }
        }
        return false;
    }

    /** The scopes an API token may carry: the machine role's permissions, sorted. */
    public List<String> tokenScopes() {
        return roles.get(MACHINE_ROLE).permissions().stream().sorted().toList();
    }
}
