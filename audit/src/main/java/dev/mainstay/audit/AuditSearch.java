package dev.mainstay.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Finds events for people reading the trail: newest first, filtered, a page at a time. Paging is
 * by sequence number ({@code before}), so a page stays stable while new events arrive.
 */
public final class AuditSearch {

    /** The most events one page may hold. */
    public static final int MAX_PAGE = 200;

    /**
     * What to find.
     *
     * @param orgs   the orgs whose events may be shown ({@code ""} for appliance-wide events); never empty
     * @param org    only this org's events, if given (must be one of {@code orgs})
     * @param actor  only events by this actor: its id, or its name ignoring case
     * @param action only this action, or with a trailing {@code .*} every action under that prefix
     * @param from   only events at or after this time
     * @param to     only events before this time
     * @param before only events with a smaller sequence number (the next page)
     * @param limit  at most this many events, 1 to {@link #MAX_PAGE}
     */
    public record Query(Set<String> orgs, Optional<String> org, Optional<String> actor, Optional<String> action, Optional<Instant> from,
                        Optional<Instant> to, OptionalLong before, int limit) {
        public Query {
            orgs = Set.copyOf(orgs);
            if (orgs.isEmpty()) {
                throw new IllegalArgumentException("a query must name the orgs it may show");
            }
            if (org.isPresent() && !orgs.contains(org.get())) {
                throw new IllegalArgumentException("org '" + org.get() + "' is not one the query may show");
            }
            if (limit < 1 || limit > MAX_PAGE) {
                throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE + ", not " + limit);
            }
        }
    }

    /**
     * A page of events.
     *
     * @param records the events, newest first
     * @param next    the {@code before} value of the next (older) page, if there is one
     */
    public record Page(List<AuditRecord> records, OptionalLong next) {
    }

    private AuditSearch() {
    }

    /** The events {@code query} asks for. */
    public static Page find(Connection c, Query query) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + AuditLog.EVENT_COLUMNS + " FROM audit_event WHERE org = ANY (?)");
        List<Object> args = new ArrayList<>();
        args.add(c.createArrayOf("text", query.org().map(o -> new Object[] {o}).orElse(query.orgs().toArray())));
        query.actor().ifPresent(actor -> {
            sql.append(" AND (actor_id = ? OR lower(actor_name) = lower(?))");
            args.add(actor);
            args.add(actor);
        });
        query.action().ifPresent(action -> {
            if (action.endsWith(".*")) {
                sql.append(" AND starts_with(action, ?)");
                args.add(action.substring(0, action.length() - 1));
            } else {
                sql.append(" AND action = ?");
                args.add(action);
            }
        });
        query.from().ifPresent(from -> {
            sql.append(" AND time >= ?");
            args.add(Timestamp.from(from));
        });
        query.to().ifPresent(to -> {
            sql.append(" AND time < ?");
            args.add(Timestamp.from(to));
        });
        if (query.before().isPresent()) {
            sql.append(" AND seq < ?");
            args.add(query.before().getAsLong());
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        args.add(query.limit() + 1);
        List<AuditRecord> records = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                s.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    records.add(AuditLog.recordOf(rs));
                }
            }
        }
        if (records.size() > query.limit()) {
            records.remove(records.size() - 1);
            return new Page(List.copyOf(records), OptionalLong.of(records.get(records.size() - 1).seq()));
        }
        return new Page(List.copyOf(records), OptionalLong.empty());
    }
}
