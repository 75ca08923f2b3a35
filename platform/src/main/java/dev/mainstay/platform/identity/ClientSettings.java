package dev.mainstay.platform.identity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;

/**
 * The settings of Mainstay's client in Keycloak, as {@link RealmBootstrap} applies them: each one
 * a field of Keycloak's client representation with the value Mainstay needs.
 */
record ClientSettings(String clientId, List<Setting<?>> settings, Map<String, String> attributes,
                      List<ProtocolMapperRepresentation> mappers) {

    /** One field: how to read it, how to write it, and the wanted value. */
    record Setting<T>(String name, Function<ClientRepresentation, T> read, BiConsumer<ClientRepresentation, T> write, T value) {
        boolean matches(ClientRepresentation client) {
            return Objects.equals(read.apply(client), value);
        }

        void apply(ClientRepresentation client) {
            write.accept(client, value);
        }
    }

    /**
     * The settings for {@code clientId} at {@code publicUrl}, with the {@code acr.loa.map} JSON and
     * the minimum ACR from {@code policies/authentication.yaml}.
     */
    static ClientSettings of(String clientId, String publicUrl, String loaMapJson, String minimumAcr) {
        List<Setting<?>> settings = List.of(
            new Setting<>("enabled", ClientRepresentation::isEnabled, ClientRepresentation::setEnabled, true),
            new Setting<>("protocol", ClientRepresentation::getProtocol, ClientRepresentation::setProtocol, "openid-connect"),
            new Setting<>("confidential (publicClient)", ClientRepresentation::isPublicClient,
                ClientRepresentation::setPublicClient, false),
            new Setting<>("bearerOnly", ClientRepresentation::isBearerOnly, ClientRepresentation::setBearerOnly, false),
            new Setting<>("clientAuthenticatorType", ClientRepresentation::getClientAuthenticatorType,
                ClientRepresentation::setClientAuthenticatorType, "client-secret"),
            new Setting<>("standard flow (code)", ClientRepresentation::isStandardFlowEnabled,
                ClientRepresentation::setStandardFlowEnabled, true),
            new Setting<>("implicit flow", ClientRepresentation::isImplicitFlowEnabled,
                ClientRepresentation::setImplicitFlowEnabled, false),
            new Setting<>("direct access grants (password)", ClientRepresentation::isDirectAccessGrantsEnabled,
                ClientRepresentation::setDirectAccessGrantsEnabled, false),
            new Setting<>("service account", ClientRepresentation::isServiceAccountsEnabled,
                ClientRepresentation::setServiceAccountsEnabled, true),
            new Setting<>("consent required", ClientRepresentation::isConsentRequired,
                ClientRepresentation::setConsentRequired, false),
            new Setting<>("full scope", ClientRepresentation::isFullScopeAllowed, ClientRepresentation::setFullScopeAllowed, false),
            new Setting<>("front-channel logout", ClientRepresentation::isFrontchannelLogout,
                ClientRepresentation::setFrontchannelLogout, false),
            new Setting<>("root URL", ClientRepresentation::getRootUrl, ClientRepresentation::setRootUrl, publicUrl),
            new Setting<>("base URL", ClientRepresentation::getBaseUrl, ClientRepresentation::setBaseUrl, publicUrl + "/"),
            new Setting<>("redirect URIs", ClientRepresentation::getRedirectUris, ClientRepresentation::setRedirectUris,
                List.of(publicUrl + "/auth/callback")),
            new Setting<>("web origins", ClientRepresentation::getWebOrigins, ClientRepresentation::setWebOrigins, List.of()));
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("pkce.code.challenge.method", "S256");
        attributes.put("post.logout.redirect.uris", publicUrl + "/auth/signed-out");
        attributes.put("minimum.acr.value", minimumAcr);
        attributes.put("acr.loa.map", loaMapJson);
        attributes.put("use.refresh.tokens", "true");
        attributes.put("backchannel.logout.session.required", "true");
        return new ClientSettings(clientId, settings, attributes, List.of(
            mapper("groups", "oidc-group-membership-mapper", Map.of("claim.name", "groups", "full.path", "true")),
            mapper("roles", "oidc-usermodel-client-role-mapper", Map.of("claim.name", "roles",
                "usermodel.clientRoleMapping.clientId", clientId, "multivalued", "true", "jsonType.label", "String")),
            mapper("github-login", "oidc-usermodel-attribute-mapper", Map.of("claim.name", IdToken.GITHUB_LOGIN_CLAIM,
                "user.attribute", RealmBootstrap.GITHUB_LOGIN_ATTRIBUTE, "jsonType.label", "String"))));
    }

    private static ProtocolMapperRepresentation mapper(String name, String type, Map<String, String> specific) {
        ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
        mapper.setName(name);
        mapper.setProtocol("openid-connect");
        mapper.setProtocolMapper(type);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("id.token.claim", "true");
        config.put("access.token.claim", "true");
        config.put("userinfo.token.claim", "true");
        config.put("introspection.token.claim", "true");
        config.putAll(specific);
        mapper.setConfig(config);
        return mapper;
    }

    /** What differs in {@code client}, one line per setting, e.g. {@code redirect URIs -> [...]}. */
    List<String> differences(ClientRepresentation client) {
        List<String> differences = new ArrayList<>();
        for (Setting<?> setting : settings) {
            if (!setting.matches(client)) {
                differences.add(setting.name() + " -> " + setting.value());
            }
        }
        Map<String, String> current = Objects.requireNonNullElse(client.getAttributes(), Map.of());
        attributes.forEach((name, value) -> {
            if (!attributeMatches(name, value, current.get(name))) {
                differences.add("attribute " + name + " -> " + value);
            }
        });
        return differences;
    }

    /** {@code client} with every setting applied; other fields and attributes as they were. */
    ClientRepresentation apply(ClientRepresentation client) {
        client.setClientId(clientId);
        client.setName(Objects.requireNonNullElse(client.getName(), "Mainstay"));
        settings.forEach(s -> s.apply(client));
        Map<String, String> merged = new LinkedHashMap<>(Objects.requireNonNullElse(client.getAttributes(), Map.of()));
        merged.putAll(attributes);
        client.setAttributes(merged);
        if (client.getId() == null) {
            client.setProtocolMappers(mappers);
        }
        return client;
    }

    /** The LoA map is JSON: the same map written in another key order is the same value. */
    private static boolean attributeMatches(String name, String wanted, String current) {
        if ("acr.loa.map".equals(name)) {
            return RealmBootstrap.parseLoaMap(wanted).equals(RealmBootstrap.parseLoaMap(current));
        }
        return wanted.equals(current);
    }
}
