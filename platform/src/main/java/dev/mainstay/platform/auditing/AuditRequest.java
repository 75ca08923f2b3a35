package dev.mainstay.platform.auditing;

import dev.mainstay.audit.AuditEvent;
import jakarta.enterprise.context.RequestScoped;

/** The facts about the current HTTP request that each audit event records; filled in as the request arrives. */
@RequestScoped
public class AuditRequest {

    private AuditEvent.Request request = AuditEvent.Request.NONE;

    /** Records the request's source address, user agent, request id and trace id. */
    public void set(AuditEvent.Request request) {
        this.request = request;
    }

    AuditEvent.Request get() {
        return request;
    }

    /** The current request's id (as in the log and the audit trail), or empty before it was set. */
    public String requestId() {
        return request.requestId();
    }
}
