package dev.mainstay.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A self-verifying segment of the trail, as JSON Lines: a header line, then events and checkpoints
 * in order. The segment starts right after a signed checkpoint (or at row 1) and ends on one, so
 * {@link #verify} needs only the file and the public key: no database, no server.
 *
 * <pre>
 * {"format":"mainstay-audit-export","version":1,"from":"…","to":"…","firstSeq":41,"lastSeq":97}
 * {"type":"checkpoint","number":3,"seq":40,"head":"…","time":"…","prev":"…","keyId":"…","algorithm":"Ed25519","signature":"base64"}
 * {"type":"event","seq":41,"prevHash":"…","hash":"…","time":"…","actorType":"user",…,"details":{…}}
 * …
 * </pre>
 */
public final class ExportFile {

    /** The header's {@code format}. */
    public static final String FORMAT = "mainstay-audit-export";
    /** Longest line accepted when reading (an event with large details stays far below it). */
    static final int MAX_LINE = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8)
            .maxStringLength(MAX_LINE).build());
    }

    /**
     * What an export wrote.
     *
     * @param events      events written
     * @param checkpoints checkpoints written
     * @param firstSeq    first event's seq (0 if none)
     * @param lastSeq     last event's seq (0 if none)
     */
    public record Summary(long events, long checkpoints, long firstSeq, long lastSeq) {
    }

    private ExportFile() {
    }

    /**
     * Writes the events from {@code from} to {@code to}, widened to the signed checkpoints around
     * them; {@code signer} first signs a checkpoint over the head if the newest rows have none, so
     * the segment can end on one. Uses its own transactions on {@code c}.
     */
    public static Summary write(Connection c, AuditCrypto crypto, CheckpointSigner signer, Instant now, Instant from, Instant to,
                                Writer out) throws SQLException, IOException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            new AuditLog(crypto).checkpoint(c, signer, now);
            c.commit();
            List<Checkpoint> checkpoints = AuditLog.checkpoints(c);
            OptionalLong a = AuditLog.firstSeqFrom(c, from);
            // A running appliance appends while the export reads: rows after the newest checkpoint came after it was
            // signed, and belong to the next export.
            long signed = checkpoints.isEmpty() ? 0 : checkpoints.getLast().seq();
            OptionalLong b = AuditLog.lastSeqUntil(c, to);
            if (b.isPresent() && b.getAsLong() > signed) {
                b = signed == 0 ? OptionalLong.empty() : OptionalLong.of(signed);
            }
            ObjectNode header = JSON.createObjectNode().put("format", FORMAT).put("version", 1)
                .put("from", Canonical.time(from)).put("to", Canonical.time(to));
            if (a.isEmpty() || b.isEmpty() || a.getAsLong() > b.getAsLong()) {
                out.write(JSON.writeValueAsString(header.put("firstSeq", 0).put("lastSeq", 0)) + "\n");
                return new Summary(0, 0, 0, 0);
            }
            Checkpoint anchor = null;
            Checkpoint end = null;
            for (Checkpoint cp : checkpoints) {
                if (cp.seq() < a.getAsLong()) {
                    anchor = cp;
                }
                if (end == null && cp.seq() >= b.getAsLong()) {
                    end = cp;
                }
            }
            if (end == null) {
                throw new SQLException("no signed checkpoint covers seq " + b.getAsLong() + " after signing one: the trail changed");
            }
            long start = anchor == null ? AuditLog.firstSeq(c).orElse(1) : anchor.seq() + 1;
            long anchorNumber = anchor == null ? 0 : anchor.number();
            long endNumber = end.number();
            out.write(JSON.writeValueAsString(header.put("firstSeq", start).put("lastSeq", end.seq())) + "\n");
            long[] counts = {0, 0};
            if (anchor != null) {
                out.write(checkpointLine(anchor) + "\n");
                counts[1]++;
            }
            List<Checkpoint> inside = checkpoints.stream().filter(cp -> cp.number() > anchorNumber && cp.number() <= endNumber).toList();
            int[] next = {0};
            AuditLog.read(c, start, end.seq(), r -> {
                try {
                    out.write(eventLine(r) + "\n");
                    counts[0]++;
                    while (next[0] < inside.size() && inside.get(next[0]).seq() <= r.seq()) {
                        out.write(checkpointLine(inside.get(next[0]++)) + "\n");
                        counts[1]++;
                    }
                } catch (IOException e) {
                    throw new SQLException("cannot write the export: " + e.getMessage(), e);
                }
            });
            return new Summary(counts[0], counts[1], start, end.seq());
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
    }

    /**
     * Verifies an export file with {@code key}.
     *
     * @throws IOException when the file cannot be read
     */
    public static Verifier.Result verify(Path file, PublicKey key) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return verify(in, file.toString(), key);
        }
    }

    /**
     * Verifies an export read from {@code in}; {@code name} names it in problems.
     *
     * @throws IOException when the reader fails
     */
    static Verifier.Result verify(BufferedReader in, String name, PublicKey key) throws IOException {
        Verifier v = new Verifier(Optional.of(key), Map.of());
        String line = in.readLine();
        long number = 1;
        try {
            if (line == null) {
                throw new Verifier.Broken(-1, name + " is empty: an export starts with a header line");
            }
            header(line, name);
            for (line = in.readLine(); line != null; line = in.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                if (line.length() > MAX_LINE) {
                    throw new Verifier.Broken(-1, "line " + number + " is longer than " + MAX_LINE + " characters");
                }
                JsonNode node = parse(line, number);
                switch (node.path("type").asText("")) {
                    case "event" -> v.event(event(node, number));
                    case "checkpoint" -> v.checkpoint(checkpoint(node, number));
                    default -> throw new Verifier.Broken(-1, "line " + number + ": 'type' must be \"event\" or \"checkpoint\"");
                }
            }
            v.finishSigned();
            return v.result();
        } catch (Verifier.Broken b) {
            return v.broken(b);
        } catch (IllegalArgumentException e) {
            return v.broken(new Verifier.Broken(-1, "line " + number + ": " + e.getMessage()));
        }
    }

    /** A stored {@code details} text as a map: a JSON object whose values are strings. */
    static Map<String, String> detailsOf(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("details are not JSON");
        }
        return details(node);
    }

    private static Map<String, String> details(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("details must be a JSON object");
        }
        Map<String, String> map = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException("details." + e.getKey() + " must be a string");
            }
            map.put(e.getKey(), e.getValue().asText());
        }
        return map;
    }

    private static void header(String line, String name) throws Verifier.Broken {
        JsonNode node = parse(line, 1);
        if (!FORMAT.equals(node.path("format").asText()) || node.path("version").asInt() != 1) {
            throw new Verifier.Broken(-1, name + " is not a Mainstay audit export (line 1 must be {\"format\":\"" + FORMAT
                + "\",\"version\":1,…})");
        }
    }

    private static JsonNode parse(String line, long number) {
        try {
            JsonNode node = JSON.readTree(line);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON (" + e.getOriginalMessage() + ")");
        }
    }

    static String eventLine(AuditRecord r) throws JsonProcessingException {
        AuditEvent e = r.event();
        ObjectNode n = JSON.createObjectNode().put("type", "event").put("seq", r.seq())
            .put("prevHash", Hashes.hex(r.prevHash())).put("hash", Hashes.hex(r.hash()))
            .put("time", Canonical.time(e.time()))
            .put("actorType", e.actor().type()).put("actorId", e.actor().id()).put("actorName", e.actor().name())
            .put("acr", e.actor().acr()).put("amr", e.actor().amr())
            .put("sourceAddress", e.request().sourceAddress()).put("userAgent", e.request().userAgent())
            .put("requestId", e.request().requestId()).put("traceId", e.request().traceId())
            .put("org", e.org()).put("action", e.action())
            .put("targetType", e.target().type()).put("targetId", e.target().id())
            .put("outcome", e.outcome().text());
        ObjectNode details = n.putObject("details");
        new TreeMap<>(e.details()).forEach(details::put);
        return JSON.writeValueAsString(n);
    }

    private static String checkpointLine(Checkpoint cp) throws JsonProcessingException {
        return JSON.writeValueAsString(JSON.createObjectNode().put("type", "checkpoint").put("number", cp.number()).put("seq", cp.seq())
            .put("head", Hashes.hex(cp.head())).put("time", Canonical.time(cp.time())).put("prev", Hashes.hex(cp.prev()))
            .put("keyId", cp.keyId()).put("algorithm", cp.algorithm())
            .put("signature", Base64.getEncoder().encodeToString(cp.signature())));
    }

    private static AuditRecord event(JsonNode n, long line) {
        long seq = number(n, "seq");
        AuditEvent event = new AuditEvent(time(n, "time"),
            new AuditEvent.Actor(text(n, "actorType"), text(n, "actorId"), text(n, "actorName"), text(n, "acr"), text(n, "amr")),
            new AuditEvent.Request(text(n, "sourceAddress"), text(n, "userAgent"), text(n, "requestId"), text(n, "traceId")),
            text(n, "org"), text(n, "action"), new AuditEvent.Target(text(n, "targetType"), text(n, "targetId")),
            AuditEvent.Outcome.of(text(n, "outcome")), details(n.get("details")));
        return new AuditRecord(seq, event, hash(n, "prevHash"), hash(n, "hash"));
    }

    private static Checkpoint checkpoint(JsonNode n, long line) {
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(text(n, "signature"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'signature' is not base64");
        }
        return new Checkpoint(number(n, "number"), number(n, "seq"), hash(n, "head"), time(n, "time"), hash(n, "prev"),
            text(n, "keyId"), text(n, "algorithm"), signature);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' is missing or not a string");
        }
        return v.asText();
    }

    private static long number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("'" + field + "' is missing or not an integer");
        }
        return v.asLong();
    }

    private static byte[] hash(JsonNode n, String field) {
        byte[] bytes = Hashes.unhex(text(n, field));
        if (bytes.length != 32) {
            throw new IllegalArgumentException("'" + field + "' is not a 32-byte hash");
        }
        return bytes;
    }

    private static Instant time(JsonNode n, String field) {
        try {
            return Instant.parse(text(n, field));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + field + "' is not an ISO-8601 UTC time");
        }
    }
}
