/**
 * Real local services for Mainstay's {@code dev} mode and for testkit: an embedded PostgreSQL
 * server from the pinned zonky binaries that also runs when the caller is root, and a real
 * Keycloak server (the pinned {@code keycloak-quarkus-dist}) with the {@code mainstay} realm.
 *
 * <p>Production code reaches this package only from the dev launcher; nothing here is used by
 * {@code serve}.
 */
package dev.mainstay.devservices;
