package dev.mainstay.platform.app;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the user asked the launcher for, parsed from its arguments.
 */
sealed interface CommandLine {

    String USAGE = """
        Usage: mainstay <command> [options]

        Appliance commands:
          dev [--data-dir DIR]    run the appliance for development: embedded PostgreSQL, a
                                  self-signed certificate, data kept in DIR (default .mainstay-dev)
          serve --config FILE     run the appliance in production with the settings in FILE
                                  (.properties or .yaml; environment variables override it)

        Operator commands take the installation as --config FILE (serve's configuration) or as
        --data-dir DIR (a dev data directory; its database is started for the command if the dev
        appliance is not running):
          tokens create (--config FILE | --data-dir DIR) --org ORG --name NAME --scopes S[,S...]
                        [--expires 90d]
                                  make an org API token for automation (scopes: uploads:write,
                                  quarantine:read, queue:write, ...); prints the token once on
                                  stdout and nothing else there; recorded as an operator action
          keycloak bootstrap (--config FILE | --data-dir DIR) [--check]
                                  set up the Keycloak realm named by mainstay.oidc.issuer for
                                  Mainstay (client, roles, MFA flow, events); with --check, only
                                  report what would change (exit 4 if anything would)
          audit verify --jdbc-url URL [--public-key FILE]
          audit verify --file EXPORT.jsonl --public-key FILE
                                  check the audit trail (in a database, or in an export file, no
                                  server needed): sequence, hash chain, checkpoint signatures; exit 5
                                  naming the first bad sequence number if anything was changed
          audit export (--config FILE | --data-dir DIR) --from TIME --to TIME --out EXPORT.jsonl
                                  write the events between two times (ISO-8601, or a date) with the
                                  signed checkpoints around them: a file that verifies on its own
          audit cut (--config FILE | --data-dir DIR) --before TIME [--dry-run]
                                  retention: remove the events older than TIME, up to the newest
                                  signed checkpoint below it (which then anchors verification);
                                  the cut is itself recorded in the trail
          audit keygen --out FILE [--fips]
                                  make a checkpoint signing key (Ed25519; ECDSA P-256 with --fips)
                                  and print its public key for auditors
          audit public-key (--config FILE | --data-dir DIR)
                                  print the public key of the audit checkpoint signing key
          help                    show this text
          version                 print the version

        Exit codes: 0 stopped normally, 1 failed at runtime, 2 bad command line, 3 bad configuration,
        4 keycloak bootstrap --check found changes to make, 5 audit verify found the trail changed.
        Configuration reference: docs/configuration.md
        """;

    /** How long an operator's token lives unless {@code --expires} says otherwise. */
    String DEFAULT_TOKEN_LIFETIME = "90d";

    /** {@code dev}: development mode on a data directory. */
    record Dev(Path dataDir) implements CommandLine {
    }

    /** {@code serve}: production mode from a configuration file. */
    record Serve(Path configFile) implements CommandLine {
    }

    /**
     * Where an operator command finds the installation: a {@code serve} configuration file, or a
     * {@code dev} data directory (its database, keys and Keycloak).
     */
    sealed interface Target {
        /** What the user wrote, for messages. */
        String describe();
    }

    /** {@code --config FILE}. */
    record ConfigFile(Path file) implements Target {
        @Override
        public String describe() {
            return "--config " + file;
        }
    }

    /** {@code --data-dir DIR}. */
    record DataDir(Path dir) implements Target {
        @Override
        public String describe() {
            return "--data-dir " + dir;
        }
    }

    /** {@code keycloak bootstrap}: set up (or, with {@code check}, only inspect) the Keycloak realm. */
    record KeycloakBootstrap(Target target, boolean check) implements CommandLine {
    }

    /**
     * {@code tokens create}: an org API token made by an operator, for automation.
     *
     * @param scopes   what it may do, as given
     * @param lifetime how long it lives
     */
    record TokensCreate(Target target, String org, String name, List<String> scopes, Duration lifetime)
        implements CommandLine {
    }

    /** {@code audit verify}: a database or an export file, against a public key. */
    record AuditVerify(Optional<String> jdbcUrl, Optional<Path> file, Optional<Path> publicKey) implements CommandLine {
    }

    /** {@code audit export}: a self-verifying segment between two times. */
    record AuditExport(Target target, Instant from, Instant to, Path out) implements CommandLine {
    }

    /** {@code audit cut}: retention, up to a signed checkpoint. */
    record AuditCut(Target target, Instant before, boolean dryRun) implements CommandLine {
    }

    /** {@code audit keygen}: a new checkpoint signing key. */
    record AuditKeygen(Path out, boolean fips) implements CommandLine {
    }

    /** {@code audit public-key}: the configured signing key's public half. */
    record AuditPublicKey(Target target) implements CommandLine {
    }

    /** {@code help}. */
    record Help() implements CommandLine {
    }

    /** {@code version}. */
    record Version() implements CommandLine {
    }

    /**
     * Parses the launcher's arguments.
     *
     * @throws UsageException naming the unknown command, option or missing value
     */
    static CommandLine parse(List<String> args) {
        if (args.isEmpty()) {
            throw new UsageException("no command given");
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        return switch (command) {
            case "dev" -> new Dev(option(rest, "--data-dir", command).map(Path::of).orElse(Path.of(".mainstay-dev")));
            case "serve" -> new Serve(option(rest, "--config", command).map(Path::of)
                .orElseThrow(() -> new UsageException("serve needs --config FILE")));
            case "keycloak" -> keycloak(rest);
            case "audit" -> audit(rest);
            case "tokens" -> tokens(rest);
            case "help", "--help", "-h" -> new Help();
            case "version", "--version" -> new Version();
            default -> throw new UsageException("unknown command '" + command + "'");
        };
    }

    private static KeycloakBootstrap keycloak(List<String> args) {
        if (args.isEmpty() || !args.get(0).equals("bootstrap")) {
            throw new UsageException("keycloak needs a subcommand: keycloak bootstrap --config FILE [--check]");
        }
        List<String> options = new ArrayList<>(args.subList(1, args.size()));
        boolean check = options.remove("--check");
        return new KeycloakBootstrap(target(options(options, List.of("--config", "--data-dir"), "keycloak bootstrap"),
            "keycloak bootstrap"), check);
    }

    private static TokensCreate tokens(List<String> args) {
        if (args.isEmpty() || !args.get(0).equals("create")) {
            throw new UsageException("tokens needs a subcommand: tokens create (--config FILE | --data-dir DIR) --org ORG --name NAME"
                + " --scopes SCOPE[,SCOPE...] [--expires 90d]");
        }
        String command = "tokens create";
        Map<String, String> o = options(args.subList(1, args.size()),
            List.of("--config", "--data-dir", "--org", "--name", "--scopes", "--expires"), command);
        for (String required : List.of("--org", "--name", "--scopes")) {
            if (!o.containsKey(required)) {
                throw new UsageException(command + " needs " + required);
            }
        }
        List<String> scopes = Arrays.stream(o.get("--scopes").split(",")).map(String::strip).filter(x -> !x.isEmpty())
            .toList();
        if (scopes.isEmpty()) {
            throw new UsageException("--scopes needs at least one scope, e.g. --scopes uploads:write");
        }
        return new TokensCreate(target(o, command), o.get("--org"), o.get("--name"), scopes,
            lifetime(o.getOrDefault("--expires", DEFAULT_TOKEN_LIFETIME), "--expires"));
    }

    /** A lifetime in days ({@code 90d}, or a bare number of days). */
    private static Duration lifetime(String text, String option) {
        Matcher m = Pattern.compile("(\\d{1,4})d?").matcher(text.strip());
        if (!m.matches()) {
            throw new UsageException(option + " '" + text + "' is not a number of days, e.g. 90d");
        }
        return Duration.ofDays(Long.parseLong(m.group(1)));
    }

    /** The one of {@code --config FILE} and {@code --data-dir DIR} that {@code o} holds. */
    private static Target target(Map<String, String> o, String command) {
        if (o.containsKey("--config") == o.containsKey("--data-dir")) {
            throw new UsageException(command + " needs one of --config FILE (an installation) or --data-dir DIR (./mainstay dev's)");
        }
        return o.containsKey("--config") ? new ConfigFile(Path.of(o.get("--config"))) : new DataDir(Path.of(o.get("--data-dir")));
    }

    private static CommandLine audit(List<String> args) {
        if (args.isEmpty()) {
            throw new UsageException("audit needs a subcommand: verify, export, cut, keygen or public-key");
        }
        String sub = args.get(0);
        List<String> rest = new ArrayList<>(args.subList(1, args.size()));
        String command = "audit " + sub;
        return switch (sub) {
            case "verify" -> {
                Map<String, String> o = options(rest, List.of("--jdbc-url", "--file", "--public-key"), command);
                if (o.containsKey("--jdbc-url") == o.containsKey("--file")) {
                    throw new UsageException("audit verify needs one of --jdbc-url URL or --file EXPORT.jsonl");
                }
                if (o.containsKey("--file") && !o.containsKey("--public-key")) {
                    throw new UsageException("audit verify --file needs --public-key FILE: an export is checked against a key you hold");
                }
                yield new AuditVerify(Optional.ofNullable(o.get("--jdbc-url")), Optional.ofNullable(o.get("--file")).map(Path::of),
                    Optional.ofNullable(o.get("--public-key")).map(Path::of));
            }
            case "export" -> {
                Map<String, String> o = options(rest, List.of("--config", "--data-dir", "--from", "--to", "--out"), command);
                for (String required : List.of("--from", "--to", "--out")) {
                    if (!o.containsKey(required)) {
                        throw new UsageException("audit export needs " + required);
                    }
                }
                Instant from = time(o.get("--from"), "--from", false);
                Instant to = time(o.get("--to"), "--to", true);
                if (to.isBefore(from)) {
                    throw new UsageException("--to " + o.get("--to") + " is before --from " + o.get("--from"));
                }
                yield new AuditExport(target(o, command), from, to, Path.of(o.get("--out")));
            }
            case "cut" -> {
                boolean dryRun = rest.remove("--dry-run");
                Map<String, String> o = options(rest, List.of("--config", "--data-dir", "--before"), command);
                if (!o.containsKey("--before")) {
                    throw new UsageException("audit cut needs --before");
                }
                yield new AuditCut(target(o, command), time(o.get("--before"), "--before", false), dryRun);
            }
            case "keygen" -> {
                boolean fips = rest.remove("--fips");
                yield new AuditKeygen(option(rest, "--out", command).map(Path::of)
                    .orElseThrow(() -> new UsageException("audit keygen needs --out FILE")), fips);
            }
            case "public-key" -> new AuditPublicKey(target(options(rest, List.of("--config", "--data-dir"), command), command));
            default -> throw new UsageException("unknown audit subcommand '" + sub + "': use verify, export, cut, keygen or public-key");
        };
    }

    /** An ISO-8601 instant, or a date: its start ({@code --from}) or its end ({@code --to}, inclusive), in UTC. */
    private static Instant time(String text, String option, boolean endOfDay) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                LocalDate day = LocalDate.parse(text);
                return endOfDay ? day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusNanos(1000)
                    : day.atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                throw new UsageException(option + " '" + text + "' is neither an ISO-8601 time (2026-11-02T09:00:00Z) nor a date (2026-11-02)");
            }
        }
    }

    private static Optional<String> option(List<String> args, String name, String command) {
        return Optional.ofNullable(options(args, List.of(name), command).get(name));
    }

    private static Map<String, String> options(List<String> args, List<String> names, String command) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = names.stream().filter(n -> arg.equals(n) || arg.startsWith(n + "=")).findFirst()
                .orElseThrow(() -> new UsageException("unknown option '" + arg + "' for " + command));
            if (arg.equals(name)) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    throw new UsageException(name + " needs a value");
                }
                values.put(name, args.get(++i));
            } else {
                values.put(name, arg.substring(name.length() + 1));
            }
        }
        return values;
    }

    /** A command line the launcher cannot act on; the message says what is wrong. */
    final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
