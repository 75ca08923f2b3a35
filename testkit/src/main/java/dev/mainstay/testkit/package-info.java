/**
 * Real-service fixtures for Mainstay's tests: a fresh PostgreSQL database per test class
 * ({@link dev.mainstay.testkit.MainstayDatabase}), the appliance as a real child process
 * ({@link dev.mainstay.testkit.ApplianceProcess}), one real Keycloak per test JVM with the test
 * {@code mainstay} realm ({@link dev.mainstay.testkit.KeycloakFixture}, {@link dev.mainstay.testkit.TestUser}),
 * and a real headless Chromium ({@link dev.mainstay.testkit.BrowserFixture}). Used in test scope only.
 */
package dev.mainstay.testkit;
