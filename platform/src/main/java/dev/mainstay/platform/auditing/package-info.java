/**
 * Glue between the appliance and the {@code audit} module: {@link dev.mainstay.platform.auditing.AuditTrail} records
 * events in the transaction of the change they describe, {@link dev.mainstay.platform.auditing.Checkpoints} signs
 * the chain's head on a schedule, {@link dev.mainstay.platform.auditing.AuditSettings} says where the signing key is.
 */
package dev.mainstay.platform.auditing;
