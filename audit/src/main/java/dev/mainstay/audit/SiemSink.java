package dev.mainstay.audit;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * Somewhere audit events are delivered for a SIEM: a JSON Lines file, a syslog collector. A sink
 * returns from {@link #deliver} only once the records are written as far as it can tell (flushed
 * to disk, written to the TLS connection); {@link SiemExporter} moves its cursor only after that,
 * so delivery is at least once.
 */
public interface SiemSink extends Closeable {

    /** The sink's name; its cursor is stored under {@code siem:<name>}. */
    String name();

    /**
     * Delivers the records, in sequence order.
     *
     * @throws IOException when not all of them could be delivered; they will be sent again
     */
    void deliver(List<AuditRecord> records) throws IOException;
}
