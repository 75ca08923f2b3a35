package dev.mainstay.platform.architecture;

import dev.mainstay.platform.compliance.DataInventory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which package owns each table, and where source code touches a table it does not own. A table's
 * owner is the package named for the longest prefix of its name below; a class may name a table
 * in SQL (after {@code FROM}, {@code JOIN}, {@code INTO}, {@code UPDATE}, {@code TABLE},
 * {@code COPY} or in {@code @Table(name = ...)}) only inside its owner's package or a package below
 * it. Every table of {@code policies/data-inventory.yaml} must have an owner here, so a new
 * table's feature is decided when it is listed.
 */
final class TableOwners {

    /** Table name prefix to owning package (relative to {@code dev.mainstay.platform}); the longest prefix wins. */
    static final Map<String, String> OWNERS = Map.ofEntries(
        Map.entry("installation", "app"),
        Map.entry("flyway_schema_history", "app"),
        Map.entry("identity_", "identity"),
        Map.entry("crypto_", "crypto"),
        Map.entry("audit_", "auditing"),
        Map.entry("ingest_", "ingest"),
        Map.entry("test_execution", "ingest"),
        Map.entry("flaky_", "flaky"),
        Map.entry("github_inbox", "queue.inbound"),
        Map.entry("merge_queue", "queue.worker"),
        Map.entry("job_run", "jobs"),
        Map.entry("qrtz_", "jobs"));

    private static final Pattern BLOCK_COMMENT = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL);
    private static final Pattern LINE_COMMENT = Pattern.compile("(?m)^\\s*//.*$");

    /** A class naming a table in SQL outside the table's owner. */
    record Violation(String file, String table, String owner) {
        @Override
        public String toString() {
            return file + " names " + table + " (owned by " + owner + ")";
        }
    }

    private TableOwners() {
    }

    /** The owning package of {@code table}; empty when no prefix matches. */
    static Optional<String> ownerOf(String table) {
        return OWNERS.entrySet().stream().filter(e -> table.startsWith(e.getKey()))
            .max((a, b) -> Integer.compare(a.getKey().length(), b.getKey().length())).map(Map.Entry::getValue);
    }

    /** The tables the data inventory lists ({@code table.column} of every field). */
    static Set<String> inventoryTables() {
        Set<String> tables = new TreeSet<>();
        for (String column : DataInventory.builtIn().byColumn().keySet()) {
            tables.add(column.substring(0, column.indexOf('.')));
        }
        return tables;
    }

    /**
     * Where {@code sources} (a file's path relative to {@code dev/mainstay/platform} to its text)
     * name one of {@code tables} in SQL outside its owner.
     */
    static List<Violation> violations(Map<String, String> sources, Set<String> tables) {
        String names = String.join("|", tables.stream().sorted((a, b) -> b.length() - a.length()).toList());
        Pattern sql = Pattern.compile("(?i:\\b(?:FROM|JOIN|INTO|UPDATE|TABLE|COPY)\\s+)(" + names + ")\\b"
            + "|@Table\\(\\s*name\\s*=\\s*\"(" + names + ")\"");
        List<Violation> out = new ArrayList<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            String pkg = packageOf(source.getKey());
            String code = LINE_COMMENT.matcher(BLOCK_COMMENT.matcher(source.getValue()).replaceAll(" ")).replaceAll("");
            Set<String> named = new TreeSet<>();
            Matcher m = sql.matcher(code);
            while (m.find()) {
                named.add(m.group(1) != null ? m.group(1) : m.group(2));
            }
            for (String table : named) {
                String owner = ownerOf(table).orElseThrow();
                if (!pkg.equals(owner) && !pkg.startsWith(owner + ".")) {
                    out.add(new Violation(source.getKey(), table, owner));
                }
            }
        }
        return out;
    }

    /** The main sources under {@code root} ({@code .../dev/mainstay/platform}), by path relative to it. */
    static Map<String, String> sources(Path root) {
        Map<String, String> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                out.put(root.relativize(file).toString().replace('\\', '/'), Files.readString(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** {@code queue/worker/QueueStore.java} is in package {@code queue.worker}. */
    private static String packageOf(String file) {
        int slash = file.lastIndexOf('/');
        return slash < 0 ? "" : file.substring(0, slash).replace('/', '.');
    }
}
