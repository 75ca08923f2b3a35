/**
 * Mainstay's tamper-evident audit trail, with no framework: the event model ({@link dev.mainstay.audit.AuditEvent}),
 * its canonical encoding, the hash chain kept in PostgreSQL ({@link dev.mainstay.audit.AuditLog}), signed
 * checkpoints ({@link dev.mainstay.audit.CheckpointSigner}), the verifier ({@link dev.mainstay.audit.Verifier}) and
 * the self-verifying export ({@link dev.mainstay.audit.ExportFile}). The design is in {@code docs/design.md},
 * "Audit trail".
 */
package dev.mainstay.audit;
