package dev.mainstay.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the JVM's {@link KeycloakFixture} (or its {@link KeycloakAdmin}) as a parameter,
 * starting Keycloak on first use.
 */
public final class KeycloakExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == KeycloakFixture.class || type == KeycloakAdmin.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        KeycloakFixture keycloak = KeycloakFixture.shared();
        return parameter.getParameter().getType() == KeycloakAdmin.class ? keycloak.admin() : keycloak;
    }
}
