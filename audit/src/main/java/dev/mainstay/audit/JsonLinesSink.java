package dev.mainstay.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Appends each event as one JSON object per line (the export file's event line: the event, its
 * sequence number and its chain hashes) to a file a SIEM agent tails, and forces it to disk
 * before returning. Rotating the file is the agent's or logrotate's business ({@code copytruncate}
 * or move-and-reopen both work: the file is opened for each batch).
 */
public final class JsonLinesSink implements SiemSink {

    private final Path file;

    public JsonLinesSink(Path file) {
        this.file = file;
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public void deliver(List<AuditRecord> records) throws IOException {
        StringBuilder text = new StringBuilder();
        for (AuditRecord r : records) {
            text.append(ExportFile.eventLine(r)).append('\n');
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
    }

    @Override
    public void close() {
    }
}
