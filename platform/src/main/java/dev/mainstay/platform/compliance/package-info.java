/**
 * Compliance as code: the policy files' reader and the data inventory
 * ({@code policies/data-inventory.yaml}), which the platform checks against the database schema
 * and the JPA mapping at every start, and from which SECURITY.md's "What we store" table is made.
 */
package dev.mainstay.platform.compliance;
