/**
 * Real-service fixtures for Mainstay's tests: a fresh PostgreSQL database per test class
 * ({@link dev.mainstay.testkit.MainstayDatabase}), the appliance as a real child process
 * ({@link dev.mainstay.testkit.ApplianceProcess}), one real Keycloak per test JVM with the test
 * {@code mainstay} realm ({@link dev.mainstay.testkit.KeycloakFixture}, {@link dev.mainstay.testkit.TestUser}),
 * a real headless Chromium ({@link dev.mainstay.testkit.BrowserFixture}), and a fresh SoftHSM2
 * token per test for PKCS#11 ({@link dev.mainstay.testkit.SoftHsm}). Used in test scope only.
 */
package dev.mainstay.testkit;
