package dev.mainstay.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;

/**
 * Something that happened, as the audit trail records it. Every text is non-null; an unknown
 * value is the empty string. The time is kept to the microsecond, as PostgreSQL stores it.
 *
 * @param time    when it happened
 * @param actor   who did it
 * @param request the request it came in, if any
 * @param org     the org it concerns, or empty
 * @param action  what was done, dotted lower case, e.g. {@code token.create} or {@code execution.read-stack-trace}
 * @param target  what it was done to
 * @param outcome how it ended
 * @param details further facts, key to value; never a secret or a confidential value
 */
public record AuditEvent(Instant time, Actor actor, Request request, String org, String action, Target target, Outcome outcome,
                         Map<String, String> details) {

    /** How an action ended. */
    public enum Outcome {
        SUCCESS("success"), FAILURE("failure"), DENIED("denied");

        private final String text;

        Outcome(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        static Outcome of(String text) {
            for (Outcome o : values()) {
                if (o.text.equals(text)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("unknown outcome '" + text + "'");
        }
    }

    /**
     * Who acted.
     *
     * @param type {@code user}, {@code token} (an org API token), {@code system} (a job) or {@code operator}
     *             (a person at the appliance host's command line; id and name are the OS user)
     * @param id   the user's subject, the token's id, or the job's name
     * @param name the username or token name, for people reading the log
     * @param acr  the session's authentication context class (e.g. {@code mfa}), or empty
     * @param amr  the session's authentication methods, space-separated, or empty
     */
    public record Actor(String type, String id, String name, String acr, String amr) {
        public Actor {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(acr, "acr");
            Objects.requireNonNull(amr, "amr");
        }

        /** A job of the appliance itself. */
        public static Actor system(String job) {
            return new Actor("system", job, job, "", "");
        }
    }

    /**
     * The request an event came in.
     *
     * @param sourceAddress the client's address (after trusted proxies)
     * @param userAgent     its {@code User-Agent}
     * @param requestId     the request's id, as in the access log
     * @param traceId       the OpenTelemetry trace id
     */
    public record Request(String sourceAddress, String userAgent, String requestId, String traceId) {
        /** Not in a request: a job or the launcher. */
        public static final Request NONE = new Request("", "", "", "");

        public Request {
            Objects.requireNonNull(sourceAddress, "sourceAddress");
            Objects.requireNonNull(userAgent, "userAgent");
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(traceId, "traceId");
        }
    }

    /**
     * What an action was done to.
     *
     * @param type e.g. {@code api-token}, {@code session}, {@code audit-log}
     * @param id   its id, or empty
     */
    public record Target(String type, String id) {
        public Target {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(id, "id");
        }
    }

    public AuditEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(outcome, "outcome");
        if (action.isEmpty()) {
            throw new IllegalArgumentException("an audit event needs an action");
        }
        time = time.truncatedTo(ChronoUnit.MICROS);
        details = Map.copyOf(details);
    }
}
