/**
 * The product's own figures at {@code /metrics}, beside the JVM, HTTP and connection-pool ones
 * Helidon reports: read from the features' stores, never kept in one process, so every replica
 * reports the same.
 */
package dev.mainstay.platform.telemetry;
