package dev.mainstay.platform.identity;

import dev.mainstay.audit.AuditEvent;
import dev.mainstay.platform.auditing.AuditTrail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Map;
import java.util.TreeMap;

/**
 * Records refused requests of known callers as {@code access.denied}: a permission the caller's
 * roles or token scopes lack, an org they do not belong to, a state-changing request without the
 * session's anti-CSRF token or from another site. Anonymous refusals (no session, an unknown
 * token) are not recorded: anyone on the network could fill the trail with them, and they name
 * nobody.
 */
@ApplicationScoped
public class AccessDenials {

    /** Why a request was refused; the {@code reason} detail of the event. */
    public enum Reason {
        /** The caller's roles, or the token's scopes, do not grant the permission. */
        MISSING_PERMISSION("missing-permission"),
        /** The path names an org the caller does not belong to. */
        NOT_A_MEMBER("not-a-member"),
        /** A state-changing request sent from another site ({@code Origin}). */
        CROSS_SITE("cross-site"),
        /** A state-changing request without the session's anti-CSRF token. */
        MISSING_CSRF_TOKEN("missing-csrf-token");

        private final String detail;

        Reason(String detail) {
            this.detail = detail;
        }
    }

    private final AuditTrail audit;

    @Inject
    AccessDenials(AuditTrail audit) {
        this.audit = audit;
    }

    /**
     * Records one refused request.
     *
     * @param caller     who asked
     * @param org        the org the path named, or empty
     * @param method     the HTTP method
     * @param path       the request path, without the query
     * @param permission the permission the endpoint needs, or empty
     * @param reason     why it was refused
     */
    @Transactional
    public void record(Caller caller, String org, String method, String path, String permission, Reason reason) {
        Map<String, String> details = new TreeMap<>();
        details.put("reason", reason.detail);
        if (!permission.isEmpty()) {
            details.put("permission", permission);
        }
        audit.record(caller.actor(), org, "access.denied", new AuditEvent.Target("endpoint", method + " " + path),
            AuditEvent.Outcome.DENIED, details);
    }
}
