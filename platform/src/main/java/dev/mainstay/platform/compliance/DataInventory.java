package dev.mainstay.platform.compliance;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code policies/data-inventory.yaml}: every column Mainstay stores, grouped into data classes,
 * with what it holds, why, and how it is protected in transit and at rest. {@link InventoryCheck}
 * holds the running database to it; SECURITY.md's "What we store" table is rendered from it by
 * {@link InventoryTable}.
 *
 * @param file              where it was read from, for messages
 * @param retentionClasses  retention class name to description, in file order
 * @param dataClasses       the data classes in file order
 */
public record DataInventory(String file, Map<String, String> retentionClasses, List<DataClass> dataClasses) {

    /** The built-in inventory's resource name. */
    public static final String RESOURCE = "policies/data-inventory.yaml";

    private static final Pattern COLUMN = Pattern.compile("[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*");

    /** How a value is kept at rest. */
    public enum AtRest {
        /** AES-256-GCM field encryption, bound to table, column and row. */
        ENCRYPTED("encrypted", "encrypted (AES-256-GCM)", true),
        /** Only a hash of a high-entropy secret (hex text). */
        HASHED("hashed", "hashed (SHA-256)", false),
        /** A keyed HMAC of a value, for equality lookups only; the value itself is stored encrypted. */
        BLIND_INDEX("blind-index", "blind index (HMAC-SHA256, keyed)", true),
        /** Key material wrapped by the key-encryption key. */
        KEY_WRAPPED("key-wrapped", "wrapped by the KEK (AES-KWP)", true),
        /** As is, behind database access control. */
        PLAINTEXT("plaintext", "plaintext", false);

        private final String word;
        private final String label;
        private final boolean bytes;

        AtRest(String word, String label, boolean bytes) {
            this.word = word;
            this.label = label;
            this.bytes = bytes;
        }

        /** Whether its column must hold bytes ({@code bytea}): the output of a cipher or MAC. */
        public boolean bytes() {
            return bytes;
        }

        /** The word used in the inventory file. */
        public String word() {
            return word;
        }

        /** How SECURITY.md says it. */
        public String label() {
            return label;
        }
    }

    /**
     * One entry: columns that hold the same kind of value.
     *
     * @param where        {@code file:line} of the entry
     * @param columns      {@code table.column} names
     * @param what         what the value is
     * @param confidential whether it may only be stored protected
     * @param atRest       how it is stored
     */
    public record Field(String where, List<String> columns, String what, boolean confidential, AtRest atRest) {
    }

    /**
     * A data class.
     *
     * @param name      its name
     * @param purpose   why Mainstay keeps it
     * @param inTransit how it is protected on the wire
     * @param retention its retention class
     * @param fields    its entries
     */
    public record DataClass(String name, String purpose, String inTransit, String retention, List<Field> fields) {
    }

    /**
     * Reads and checks an inventory: known keys only, every column named once as
     * {@code table.column}, every retention class defined, and no confidential field in plaintext.
     *
     * @throws PolicyException naming the file, the line and what is wrong
     */
    public static DataInventory read(String file, Reader text) {
        YamlDocument.Mapping root = YamlDocument.parse(file, text).allowOnly(Set.of("version", "retention-classes", "data-classes"));
        if (root.integer("version") != 1) {
            throw root.errorAtValue("version", "unsupported version; this Mainstay reads version 1");
        }
        YamlDocument.Mapping retentionNode = root.mapping("retention-classes");
        Map<String, String> retention = new LinkedHashMap<>();
        for (String name : retentionNode.keys()) {
            retention.put(name, retentionNode.string(name));
        }
        Map<String, String> seen = new LinkedHashMap<>();
        List<DataClass> classes = new ArrayList<>();
        for (YamlDocument.Mapping c : root.mappings("data-classes", "data class")) {
            c.allowOnly(Set.of("name", "purpose", "in-transit", "retention", "fields"));
            String retentionClass = c.string("retention");
            if (!retention.containsKey(retentionClass)) {
                throw c.errorAtValue("retention", "retention class '" + retentionClass + "' is not defined; defined: "
                    + retention.keySet());
            }
            List<Field> fields = new ArrayList<>();
            for (YamlDocument.Mapping f : c.mappings("fields", "field")) {
                fields.add(field(f, seen));
            }
            classes.add(new DataClass(c.string("name"), c.string("purpose"), c.string("in-transit"), retentionClass, List.copyOf(fields)));
        }
        return new DataInventory(file, Collections.unmodifiableMap(retention), List.copyOf(classes));
    }

    private static Field field(YamlDocument.Mapping f, Map<String, String> seen) {
        f.allowOnly(Set.of("columns", "what", "confidential", "at-rest"));
        List<String> columns = f.strings("columns");
        for (String column : columns) {
            if (!COLUMN.matcher(column).matches()) {
                throw f.errorAtValue("columns", "'" + column + "' is not a table.column name in lower case");
            }
            String earlier = seen.putIfAbsent(column, f.where());
            if (earlier != null) {
                throw f.errorAtValue("columns", column + " is already listed at " + earlier);
            }
        }
        String word = f.string("at-rest");
        AtRest atRest = null;
        for (AtRest candidate : AtRest.values()) {
            if (candidate.word().equals(word)) {
                atRest = candidate;
            }
        }
        if (atRest == null) {
            throw f.errorAtValue("at-rest", "'" + word + "' is not one of "
                + Arrays.stream(AtRest.values()).map(AtRest::word).collect(Collectors.joining(", ")));
        }
        boolean confidential = f.bool("confidential");
        if (confidential && atRest == AtRest.PLAINTEXT) {
            throw f.errorAtValue("at-rest", String.join(", ", columns) + ": a confidential field cannot be stored in plaintext");
        }
        return new Field(f.where(), columns, f.string("what"), confidential, atRest);
    }

    /** The inventory built into this Mainstay. */
    public static DataInventory builtIn() {
        InputStream in = DataInventory.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new PolicyException(RESOURCE + " is missing from this Mainstay build");
        }
        try (Reader text = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return read(RESOURCE + " (built in)", text);
        } catch (IOException e) {
            throw new PolicyException(RESOURCE + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /** Every listed column, {@code table.column}, with its entry. */
    public Map<String, Field> byColumn() {
        Map<String, Field> columns = new LinkedHashMap<>();
        for (DataClass c : dataClasses) {
            for (Field f : c.fields()) {
                for (String column : f.columns()) {
                    columns.put(column, f);
                }
            }
        }
        return columns;
    }
}
