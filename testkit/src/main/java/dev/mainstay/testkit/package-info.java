/**
 * Real-service fixtures for Mainstay's tests: a fresh PostgreSQL database per test class
 * ({@link dev.mainstay.testkit.MainstayDatabase}) and the appliance as a real child process
 * ({@link dev.mainstay.testkit.ApplianceProcess}). Used in test scope only.
 */
package dev.mainstay.testkit;
