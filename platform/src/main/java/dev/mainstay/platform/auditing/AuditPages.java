package dev.mainstay.platform.auditing;

import dev.mainstay.audit.AuditEvent;
import dev.mainstay.audit.AuditSearch;
import dev.mainstay.platform.identity.Caller;
import dev.mainstay.platform.identity.RequestIdentity;
import dev.mainstay.platform.identity.Requires;
import dev.mainstay.platform.web.Pages;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * The audit trail page: events newest first, filtered by org, actor, action and day, 50 to a page,
 * with the trail's verification status. A person sees the events of their own orgs and the
 * appliance-wide ones (sign-ins, sign-outs), never another org's.
 */
@RequestScoped
@Path("/audit")
public class AuditPages {

    static final int PAGE_SIZE = 50;

    private final Pages pages;
    private final RequestIdentity identity;
    private final DataSource dataSource;
    private final Checkpoints checkpoints;
    private final AuditTrail trail;

    @Inject
    AuditPages(Pages pages, RequestIdentity identity, @Named("mainstay") DataSource dataSource, Checkpoints checkpoints,
               AuditTrail trail) {
        this.pages = pages;
        this.identity = identity;
        this.dataSource = dataSource;
        this.checkpoints = checkpoints;
        this.trail = trail;
    }

    /** The filters as given, for the form and the paging links. */
    public record Filters(String org, String actor, String action, String from, String to) {
        /** The query string for these filters and {@code before}. */
        public String query(long before) {
            StringBuilder q = new StringBuilder("?before=").append(before);
            Map<String, String> values = new LinkedHashMap<>();
            values.put("org", org);
            values.put("actor", actor);
            values.put("action", action);
            values.put("from", from);
            values.put("to", to);
            values.forEach((k, v) -> {
                if (!v.isEmpty()) {
                    q.append('&').append(k).append('=').append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8));
                }
            });
            return q.toString();
        }
    }

    @GET
    @Requires("audit:read")
    public Response page(@QueryParam("org") String org, @QueryParam("actor") String actor, @QueryParam("action") String action,
                         @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("before") String before)
        throws SQLException {
        Caller.Person person = identity.person().orElseThrow();
        Filters filters = new Filters(clean(org), clean(actor), clean(action), clean(from), clean(to));
        Set<String> visible = new TreeSet<>(person.orgs());
        visible.add("");
        List<String> errors = new ArrayList<>();
        Optional<String> onlyOrg = Optional.of(filters.org()).filter(o -> !o.isEmpty()).map(o -> o.equals("appliance") ? "" : o);
        if (onlyOrg.isPresent() && !visible.contains(onlyOrg.get())) {
            errors.add("org: you do not belong to an org '" + filters.org() + "'");
        }
        Optional<Instant> fromTime = day("from", filters.from(), 0, errors);
        Optional<Instant> toTime = day("to", filters.to(), 1, errors);
        OptionalLong beforeSeq = OptionalLong.empty();
        if (before != null && !before.isBlank()) {
            try {
                beforeSeq = OptionalLong.of(Long.parseLong(before.strip()));
            } catch (NumberFormatException e) {
                errors.add("before: not a sequence number: '" + before + "'");
            }
        }
        AuditSearch.Page found = new AuditSearch.Page(List.of(), OptionalLong.empty());
        if (errors.isEmpty()) {
            AuditSearch.Query query = new AuditSearch.Query(visible, onlyOrg, Optional.of(filters.actor()).filter(s -> !s.isEmpty()),
                Optional.of(filters.action()).filter(s -> !s.isEmpty()), fromTime, toTime, beforeSeq, PAGE_SIZE);
            try (Connection c = dataSource.getConnection()) {
                found = AuditSearch.find(c, query);
            }
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("filters", filters);
        parameters.put("orgs", person.orgs());
        parameters.put("records", found.records());
        parameters.put("next", found.next().isPresent() ? filters.query(found.next().getAsLong()) : "");
        parameters.put("verification", checkpoints.lastVerification().orElse(null));
        parameters.put("errors", errors);
        return pages.html(errors.isEmpty() ? Response.Status.OK : Response.Status.BAD_REQUEST,
            pages.render("auditing/audit.jte", pages.context("Audit trail", "/audit"), parameters));
    }

    /**
     * When {@code event} happened, where that is not when the trail recorded it: a Keycloak
     * event's own time ({@code occurred_at}), pulled into the trail up to an interval later. The
     * page shows this time, and the record time beside it; an unreadable value is left to the
     * details.
     */
    public static Optional<Instant> occurredAt(AuditEvent event) {
        String value = event.details().get(KeycloakEvents.OCCURRED_AT);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Verifies the trail now; the verification is itself recorded. */
    @POST
    @Path("verify")
    @Requires("audit:read")
    @Audited("audit.verify")
    @Transactional
    public Response verify() throws SQLException {
        Caller.Person person = identity.person().orElseThrow();
        Checkpoints.Verification verification = checkpoints.verify();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("intact", Boolean.toString(verification.result().intact()));
        details.put("events", Long.toString(verification.result().events()));
        details.put("checkpoints", Long.toString(verification.result().checkpoints()));
        verification.result().badSeq().ifPresent(seq -> details.put("bad_seq", Long.toString(seq)));
        trail.record(person.actor(), "", "audit.verify", new AuditEvent.Target("audit-trail", "appliance"), AuditEvent.Outcome.SUCCESS,
            details);
        return Response.seeOther(URI.create("/audit")).build();
    }

    private static Optional<Instant> day(String name, String text, int plusDays, List<String> errors) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(text).plusDays(plusDays).atStartOfDay(ZoneOffset.UTC).toInstant());
        } catch (DateTimeParseException e) {
            errors.add(name + ": not a date (YYYY-MM-DD): '" + text + "'");
            return Optional.empty();
        }
    }

    private static String clean(String value) {
        return value == null ? "" : value.strip();
    }
}
