package dev.mainstay.platform.app;

import dev.mainstay.audit.AuditCrypto;
import dev.mainstay.audit.AuditEvent;
import dev.mainstay.audit.AuditLog;
import dev.mainstay.audit.AuditRecord;
import dev.mainstay.audit.AuditRetention;
import dev.mainstay.audit.Checkpoint;
import dev.mainstay.audit.CheckpointSigner;
import dev.mainstay.audit.ExportFile;
import dev.mainstay.audit.SigningKey;
import dev.mainstay.audit.Verifier;
import dev.mainstay.platform.auditing.AuditSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/** The {@code audit} commands: verify, export, cut, keygen, public-key. Each returns its exit code. */
final class AuditCommands {

    /** The trail was found changed. */
    static final int EXIT_TAMPERED = 5;

    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;

    AuditCommands(PrintStream out, PrintStream err, Clock clock) {
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    int verify(CommandLine.AuditVerify command) {
        Optional<PublicKey> key;
        try {
            key = command.publicKey().map(SigningKey::readPublic);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("--public-key " + e.getMessage());
        }
        Verifier.Result result;
        if (command.file().isPresent()) {
            Path file = command.file().get();
            if (!Files.isRegularFile(file)) {
                throw new ConfigurationException("--file " + file + " does not exist");
            }
            out.println("Verifying the export " + file + "...");
            try {
                result = ExportFile.verify(file, key.orElseThrow());
            } catch (IOException e) {
                err.println("mainstay: cannot read " + file + ": " + e.getMessage());
                return Main.EXIT_RUNTIME;
            }
        } else {
            String url = command.jdbcUrl().orElseThrow();
            out.println("Verifying the audit trail in " + url.replaceAll("password=[^&]*", "password=…") + "...");
            try (Connection c = DriverManager.getConnection(url)) {
                result = Verifier.database(c, key);
            } catch (SQLException e) {
                err.println("mainstay: cannot read the audit trail: " + e.getMessage());
                return Main.EXIT_RUNTIME;
            }
        }
        (result.intact() ? out : err).print(result.report());
        return result.intact() ? 0 : EXIT_TAMPERED;
    }

    int export(CommandLine.AuditExport command) {
        try (OperatorSite site = OperatorSite.open(command.target(), err)) {
            return export(command, site);
        }
    }

    private int export(CommandLine.AuditExport command, OperatorSite site) {
        Config config = site.config();
        FieldEncryption.selectMode(config);
        AuditSettings audit = AuditSettings.from(config);
        if (!audit.problems().isEmpty()) {
            throw new ConfigurationException(String.join("\n  ", audit.problems()));
        }
        AuditCrypto crypto = audit.crypto();
        SigningKey key;
        try {
            key = audit.loadKey(crypto);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("audit signing key: " + e.getMessage());
        }
        Path tmp = command.out().toAbsolutePath().resolveSibling(command.out().getFileName() + ".partial");
        try (Connection c = site.connect();
             Writer writer = Files.newBufferedWriter(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ExportFile.Summary summary = ExportFile.write(c, crypto, new CheckpointSigner(key, crypto), clock.instant(), command.from(),
                command.to(), writer);
            writer.close();
            // The export is a read of the whole trail: it is recorded before the file is handed over.
            c.setAutoCommit(false);
            new AuditLog(crypto).append(c, OperatorSite.operatorEvent(clock, "", "audit.export", new AuditEvent.Target("audit-export",
                command.out().getFileName().toString()), Map.of("from", command.from().toString(), "to", command.to().toString(),
                "events", Long.toString(summary.events()))));
            c.commit();
            Files.move(tmp, command.out(), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            out.println(summary.events() == 0
                ? "No audit events between " + command.from() + " and " + command.to() + "; wrote an empty export to " + command.out()
                : "Wrote " + summary.events() + " event(s) (seq " + summary.firstSeq() + ".." + summary.lastSeq() + ") and "
                    + summary.checkpoints() + " signed checkpoint(s) to " + command.out() + ".\nVerify it with: ./mainstay audit verify"
                    + " --file " + command.out() + " --public-key <the trail's public key>");
            return 0;
        } catch (SQLException | IOException e) {
            err.println("mainstay: audit export failed: " + e.getMessage());
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the partial file is named .partial; nothing else to do
            }
            return Main.EXIT_RUNTIME;
        }
    }

    int cut(CommandLine.AuditCut command) {
        try (OperatorSite site = OperatorSite.open(command.target(), err)) {
            return cut(command, site);
        }
    }

    private int cut(CommandLine.AuditCut command, OperatorSite site) {
        Config config = site.config();
        FieldEncryption.selectMode(config);
        AuditCrypto crypto = AuditSettings.from(config).crypto();
        try (Connection c = site.connect()) {
            c.setAutoCommit(false);
            AuditRetention.Plan plan = AuditRetention.plan(c, command.before());
            if (plan.nothing()) {
                out.println("Nothing to cut: no signed checkpoint has only events older than " + command.before() + " below it"
                    + plan.oldestKept().map(t -> " (the oldest event is from " + t + ")").orElse(" (the trail is empty)") + ".");
                return 0;
            }
            Checkpoint at = plan.checkpoint().orElseThrow();
            String what = plan.events() + " event(s), seq " + plan.fromSeq() + ".." + at.seq() + ", up to signed checkpoint "
                + at.number() + " of " + at.time();
            if (command.dryRun()) {
                out.println("Would cut " + what + plan.oldestKept().map(t -> "; the oldest event kept would be from " + t).orElse("")
                    + ". Nothing was changed (--dry-run).");
                return 0;
            }
            long removed = AuditRetention.cut(c, plan);
            AuditRecord recorded = new AuditLog(crypto).append(c, OperatorSite.operatorEvent(clock, "", "audit.cut",
                new AuditEvent.Target("audit-checkpoint", Long.toString(at.number())), Map.of("before", command.before().toString(),
                    "fromSeq", Long.toString(plan.fromSeq()), "throughSeq", Long.toString(at.seq()), "removed", Long.toString(removed))));
            c.commit();
            out.println("Cut " + what + ". Verification now starts from that checkpoint; the cut is recorded as audit.cut (seq "
                + recorded.seq() + ").");
            return 0;
        } catch (SQLException e) {
            err.println("mainstay: audit cut failed, nothing was removed: " + e.getMessage());
            return Main.EXIT_RUNTIME;
        }
    }

    int keygen(CommandLine.AuditKeygen command) {
        if (Files.exists(command.out())) {
            throw new ConfigurationException(command.out() + " exists; a signing key is never overwritten (move it away first)");
        }
        FieldEncryption.selectMode(command.fips());
        SigningKey key = SigningKey.generate(AuditCrypto.of(command.fips()));
        try {
            key.write(command.out());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
        out.println("Wrote the signing key " + command.out() + " (key id " + key.keyId() + ", readable by its owner only).");
        out.println("Set mainstay.audit.signing-key to it. Give auditors this public key:");
        out.print(key.publicPem());
        return 0;
    }

    int publicKey(CommandLine.AuditPublicKey command) {
        AuditSettings audit;
        try (OperatorSite site = OperatorSite.open(command.target(), err)) {
            audit = AuditSettings.from(site.config());
        }
        if (audit.signingKey().isEmpty()) {
            throw new ConfigurationException(AuditSettings.SIGNING_KEY + " is not set for " + command.target().describe());
        }
        try {
            out.print(SigningKey.publicPem(SigningKey.readPublic(audit.signingKey().get())));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
        return 0;
    }
}
