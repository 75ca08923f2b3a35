package dev.mainstay.audit;

/**
 * An event as stored: its place in the chain, the previous row's hash and its own.
 *
 * @param seq      1, 2, 3, … without gaps
 * @param event    the event
 * @param prevHash the hash of row {@code seq - 1} ({@link Hashes#GENESIS} for row 1)
 * @param hash     {@link Hashes#chain} of {@code prevHash} and the event's canonical bytes
 */
public record AuditRecord(long seq, AuditEvent event, byte[] prevHash, byte[] hash) {
}
