/**
 * Who may do what. People sign in through the customer's Keycloak (OIDC code flow with PKCE)
 * and must show a second factor, which Mainstay checks itself on every ID token; sensitive
 * actions also need a recent sign-in (step-up). Sessions are re-confirmed with Keycloak every
 * few seconds so a disabled person loses access within a minute. CI jobs use API tokens.
 * Roles and permissions come from policies/access.yaml; every endpoint declares the
 * permission it needs ({@link dev.mainstay.platform.identity.Requires}).
 */
package dev.mainstay.platform.identity;
