package dev.mainstay.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical encoding that the hash chain and checkpoint signatures cover: a JSON object with
 * its keys in code-point order, no whitespace, strings escaped only where JSON requires ({@code "},
 * {@code \}, and control characters as {@code \\u00XX} escapes), integers in decimal, times as ISO-8601 UTC
 * with exactly six fractional digits. One value has exactly one encoding, so anyone can recompute
 * the bytes from the fields (see {@code docs/design.md}, "Audit trail").
 */
public final class Canonical {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
        .withZone(java.time.ZoneOffset.UTC);

    private Canonical() {
    }

    /** The bytes of event {@code seq}. */
    public static byte[] event(long seq, AuditEvent e) {
        Map<String, Object> m = new TreeMap<>();
        m.put("acr", e.actor().acr());
        m.put("action", e.action());
        m.put("actorId", e.actor().id());
        m.put("actorName", e.actor().name());
        m.put("actorType", e.actor().type());
        m.put("amr", e.actor().amr());
        m.put("details", e.details());
        m.put("org", e.org());
        m.put("outcome", e.outcome().text());
        m.put("requestId", e.request().requestId());
        m.put("seq", seq);
        m.put("sourceAddress", e.request().sourceAddress());
        m.put("targetId", e.target().id());
        m.put("targetType", e.target().type());
        m.put("time", time(e.time()));
        m.put("traceId", e.request().traceId());
        m.put("userAgent", e.request().userAgent());
        return encode(m);
    }

    /** The bytes a checkpoint's signature covers: everything but the signature, after a label. */
    public static byte[] checkpoint(Checkpoint c) {
        Map<String, Object> m = new TreeMap<>();
        m.put("algorithm", c.algorithm());
        m.put("head", Hashes.hex(c.head()));
        m.put("keyId", c.keyId());
        m.put("number", c.number());
        m.put("prev", Hashes.hex(c.prev()));
        m.put("seq", c.seq());
        m.put("time", time(c.time()));
        byte[] body = encode(m);
        byte[] label = "mainstay-audit-checkpoint-v1\n".getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[label.length + body.length];
        System.arraycopy(label, 0, all, 0, label.length);
        System.arraycopy(body, 0, all, label.length, body.length);
        return all;
    }

    /** A time as the encoding writes it. */
    public static String time(Instant t) {
        return TIME.format(t.truncatedTo(ChronoUnit.MICROS));
    }

    /** An object of strings, numbers and nested objects, in canonical form. */
    static byte[] encode(Map<String, ?> object) {
        StringBuilder out = new StringBuilder(256);
        write(out, object);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(StringBuilder out, Object value) {
        switch (value) {
            case String s -> string(out, s);
            case Long n -> out.append(n.longValue());
            case Integer n -> out.append(n.intValue());
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : new TreeMap<>(map).entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(out, (String) entry.getKey());
                    out.append(':');
                    write(out, entry.getValue());
                }
                out.append('}');
            }
            default -> throw new IllegalArgumentException("no canonical form for " + value.getClass().getName());
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
