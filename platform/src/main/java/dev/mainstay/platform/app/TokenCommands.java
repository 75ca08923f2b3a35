package dev.mainstay.platform.app;

import dev.mainstay.audit.AuditEvent;
import dev.mainstay.audit.AuditLog;
import dev.mainstay.platform.auditing.AuditSettings;
import dev.mainstay.platform.identity.OperatorTokens;
import dev.mainstay.platform.identity.Policies;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code tokens create}: an org API token for automation, made by the operator on the
 * appliance's host. Standard output gets the token and nothing else, so that
 * {@code TOKEN=$(./mainstay tokens create ...)} works; everything said to people goes to standard error.
 */
final class TokenCommands {

    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;

    TokenCommands(PrintStream out, PrintStream err, Clock clock) {
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    /** Makes the token; returns the exit code. */
    int create(CommandLine.TokensCreate command) {
        try (OperatorSite site = OperatorSite.open(command.target(), err)) {
            Policies policies = Main.loadPolicies(site.config());
            Optional<String> problem = OperatorTokens.problem(policies.access(), command.org(), command.name(), command.scopes(),
                command.lifetime());
            if (problem.isPresent()) {
                err.println("mainstay: tokens create: " + problem.get());
                return Main.EXIT_USAGE;
            }
            FieldEncryption.selectMode(site.config());
            AuditLog audit = new AuditLog(AuditSettings.from(site.config()).crypto());
            OperatorTokens.Minted minted;
            try (Connection c = site.connect()) {
                c.setAutoCommit(false);
                Instant now = clock.instant();
                minted = OperatorTokens.insert(c, command.org(), command.name(), command.scopes(), command.lifetime(),
                    OperatorSite.operator(), now);
                Map<String, String> details = new LinkedHashMap<>();
                details.put("name", command.name().strip());
                details.put("scopes", String.join(" ", minted.scopes()));
                details.put("expiresAt", minted.expiresAt().toString());
                details.put("via", "tokens create " + command.target().describe());
                audit.append(c, OperatorSite.operatorEvent(clock, command.org(), "token.create",
                    new AuditEvent.Target("api-token", minted.id().toString()), details));
                c.commit();
            } catch (SQLException e) {
                err.println("mainstay: tokens create failed, no token was made: " + e.getMessage());
                return Main.EXIT_RUNTIME;
            }
            out.println(minted.token());
            out.flush();
            err.println("mainstay: made token '" + command.name().strip() + "' (" + minted.id() + ") for org '" + command.org()
                + "' with " + String.join(", ", minted.scopes()) + ", valid until " + minted.expiresAt()
                + ". It is shown this once; revoke it on the Tokens page.");
            return 0;
        }
    }
}
