/**
 * Launcher, configuration and startup of the appliance: command line ({@code dev}, {@code serve}),
 * MicroProfile Config with environment overrides, logging, Flyway migrations, the HTTPS server's
 * hardening (TLS, HSTS, security headers, proxy handling), health and the installation record.
 */
package dev.mainstay.platform.app;
