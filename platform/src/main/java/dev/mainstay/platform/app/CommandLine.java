package dev.mainstay.platform.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the user asked the launcher for, parsed from its arguments.
 */
sealed interface CommandLine {

    String USAGE = """
        Usage: mainstay <command> [options]

        Commands:
          dev [--data-dir DIR]    run the appliance for development: embedded PostgreSQL, a
                                  self-signed certificate, data kept in DIR (default .mainstay-dev)
          serve --config FILE     run the appliance in production with the settings in FILE
                                  (.properties or .yaml; environment variables override it)
          keycloak bootstrap --config FILE [--check]
                                  set up the Keycloak realm named by mainstay.oidc.issuer in FILE for
                                  Mainstay (client, roles, MFA flow, events); with --check, only
                                  report what would change (exit 4 if anything would)
          help                    show this text
          version                 print the version

        Exit codes: 0 stopped normally, 1 failed at runtime, 2 bad command line, 3 bad configuration,
        4 keycloak bootstrap --check found changes to make.
        Configuration reference: docs/configuration.md
        """;

    /** {@code dev}: development mode on a data directory. */
    record Dev(Path dataDir) implements CommandLine {
    }

    /** {@code serve}: production mode from a configuration file. */
    record Serve(Path configFile) implements CommandLine {
    }

    /** {@code keycloak bootstrap}: set up (or, with {@code check}, only inspect) the Keycloak realm. */
    record KeycloakBootstrap(Path configFile, boolean check) implements CommandLine {
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
        Path config = option(options, "--config", "keycloak bootstrap").map(Path::of)
            .orElseThrow(() -> new UsageException("keycloak bootstrap needs --config FILE"));
        return new KeycloakBootstrap(config, check);
    }

    private static Optional<String> option(List<String> args, String name, String command) {
        Optional<String> value = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals(name)) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    throw new UsageException(name + " needs a value");
                }
                value = Optional.of(args.get(++i));
            } else if (arg.startsWith(name + "=")) {
                value = Optional.of(arg.substring(name.length() + 1));
            } else {
                throw new UsageException("unknown option '" + arg + "' for " + command);
            }
        }
        return value;
    }

    /** A command line the launcher cannot act on; the message says what is wrong. */
    final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
