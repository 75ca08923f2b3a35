package dev.mainstay.platform.web;

import dev.mainstay.audit.AuditEvent;
import dev.mainstay.platform.auditing.AuditRequest;
import dev.mainstay.platform.auditing.AuditTrail;
import dev.mainstay.platform.identity.Caller;
import dev.mainstay.platform.identity.Problems;
import dev.mainstay.platform.identity.RequestIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What happens when a request fails unexpectedly: the failure is logged with its stack trace
 * and the request id, recorded in the audit trail as {@code request.fail} in a transaction of
 * its own (the request's own was rolled back), and the request id is handed to the answer, so
 * that a person reporting "it said 500" can be matched with the log line and the audit event.
 */
@ApplicationScoped
public class Failures {

    private static final Logger LOG = Logger.getLogger(Failures.class.getName());

    private final Trail trail;
    private final AuditRequest request;

    @Inject
    Failures(Trail trail, AuditRequest request) {
        this.trail = trail;
        this.request = request;
    }

    /**
     * Logs and records an unexpected failure of {@code method} {@code path}; returns the request id.
     * A failure to record it is logged, never thrown: the answer must still go out.
     */
    public String record(String method, String path, Throwable failure) {
        String requestId = request.requestId().isEmpty() ? UUID.randomUUID().toString() : request.requestId();
        LOG.log(Level.SEVERE, "request " + requestId + " " + method + " " + path + " failed unexpectedly", failure);
        try {
            trail.record(method, path, requestId, failure);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "could not record the failure of request " + requestId + " in the audit trail", e);
        }
        return requestId;
    }

    /** The problem answer for an unexpected failure: no internals, the request id to quote. */
    public static jakarta.ws.rs.core.Response problem(String requestId) {
        return Problems.problem(500, "Internal error", "Mainstay failed to answer this request; nothing it was asked to store was"
            + " kept. Quote request id " + requestId + " to your Mainstay administrator: the log and the audit trail hold it.",
            Map.of("requestId", requestId));
    }

    /** Records {@code request.fail} in a transaction of its own: the request's own was rolled back. A bean of its own, so that the transaction is begun. */
    @ApplicationScoped
    static class Trail {

        private final AuditTrail audit;
        private final RequestIdentity identity;

        @Inject
        Trail(AuditTrail audit, RequestIdentity identity) {
            this.audit = audit;
            this.identity = identity;
        }

        @Transactional(Transactional.TxType.REQUIRES_NEW)
        void record(String method, String path, String requestId, Throwable failure) {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("status", "500");
            details.put("requestId", requestId);
            details.put("error", failure.getClass().getName());
            AuditEvent.Actor actor = identity.caller().map(Caller::actor)
                .orElse(new AuditEvent.Actor("anonymous", "", "anonymous", "", ""));
            String org = identity.caller().map(c -> c instanceof Caller.Machine m ? m.org() : "").orElse("");
            audit.record(actor, org, "request.fail", new AuditEvent.Target("endpoint", method + " " + path), AuditEvent.Outcome.FAILURE,
                details);
        }
    }
}
