package dev.mainstay.platform.compliance;

import java.io.IOException;
import java.io.Reader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A strict, line-aware reader over a YAML policy file: the schema check for the files under
 * {@code policies/}. Every accessor names the file and line of a value that does not fit, so
 * an operator can fix the file from the error alone. Unknown keys are errors, not ignored:
 * a misspelt key would otherwise silently weaken a policy.
 */
public final class YamlDocument {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(s|m|h|d)");

    private final String file;

    private YamlDocument(String file) {
        this.file = file;
    }

    /**
     * Parses one YAML document into its root mapping.
     *
     * @throws PolicyException if the text is not YAML or its root is not a mapping
     */
    public static Mapping parse(String file, Reader text) {
        YamlDocument document = new YamlDocument(file);
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(0);
        options.setCodePointLimit(1_000_000);
        Node root;
        try (text) {
            root = new Yaml(options).compose(text);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            throw new PolicyException(file + ":" + line + ": not valid YAML: " + e.getProblem());
        } catch (RuntimeException | IOException e) {
            throw new PolicyException(file + ": cannot be read: " + e.getMessage(), e);
        }
        if (root == null) {
            throw new PolicyException(file + ":1: the file is empty");
        }
        return document.mapping(root, "the file");
    }

    private Mapping mapping(Node node, String what) {
        if (!(node instanceof MappingNode map)) {
            throw error(node, what + " must be a mapping of keys to values");
        }
        Map<String, Node> values = new LinkedHashMap<>();
        Map<String, Node> keys = new LinkedHashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            String key = scalar(tuple.getKeyNode(), "a key in " + what);
            values.put(key, tuple.getValueNode());
            keys.put(key, tuple.getKeyNode());
        }
        return new Mapping(what, node, values, keys);
    }

    private String scalar(Node node, String what) {
        if (!(node instanceof ScalarNode scalar)) {
            throw error(node, what + " must be a single value");
        }
        return scalar.getValue();
    }

    private PolicyException error(Node node, String message) {
        return new PolicyException(file + ":" + (node.getStartMark().getLine() + 1) + ": " + message);
    }

    /** A YAML mapping with the line of every key. */
    public final class Mapping {
        private final String what;
        private final Node node;
        private final Map<String, Node> values;
        private final Map<String, Node> keys;

        private Mapping(String what, Node node, Map<String, Node> values, Map<String, Node> keys) {
            this.what = what;
            this.node = node;
            this.values = values;
            this.keys = keys;
        }

        /**
         * Fails on any key outside {@code allowed}.
         *
         * @throws PolicyException naming the first unknown key and the allowed ones
         */
        public Mapping allowOnly(Set<String> allowed) {
            for (var entry : keys.entrySet()) {
                if (!allowed.contains(entry.getKey())) {
                    throw error(entry.getValue(), "unknown key '" + entry.getKey() + "' in " + what
                        + "; expected one of " + allowed.stream().sorted().toList());
                }
            }
            return this;
        }

        /** The keys in file order. */
        public List<String> keys() {
            return List.copyOf(values.keySet());
        }

        public PolicyException errorAt(String key, String message) {
            return error(keys.getOrDefault(key, node), message);
        }

        private Node required(String key) {
            Node value = values.get(key);
            if (value == null) {
                throw error(node, what + " lacks the required key '" + key + "'");
            }
            return value;
        }

        public Mapping mapping(String key) {
            return YamlDocument.this.mapping(required(key), "'" + key + "'");
        }

        public String string(String key) {
            String value = scalar(required(key), "'" + key + "'").strip();
            if (value.isEmpty()) {
                throw error(required(key), "'" + key + "' must not be empty");
            }
            return value;
        }

        public int integer(String key) {
            String value = scalar(required(key), "'" + key + "'");
            try {
                return Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                throw error(required(key), "'" + key + "' must be a whole number, not '" + value + "'");
            }
        }

        /** A duration written as a number and a unit: {@code 30s}, {@code 10m}, {@code 8h}, {@code 7d}. */
        public Duration duration(String key) {
            String value = scalar(required(key), "'" + key + "'").strip();
            Matcher m = DURATION.matcher(value);
            if (!m.matches()) {
                throw error(required(key), "'" + key + "' must be a duration such as 30s, 10m, 8h or 7d, not '" + value + "'");
            }
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }

        public List<String> strings(String key) {
            Node value = required(key);
            if (!(value instanceof SequenceNode sequence)) {
                throw error(value, "'" + key + "' must be a list, such as [a, b]");
            }
            List<String> items = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                String text = scalar(item, "each item of '" + key + "'").strip();
                if (items.contains(text)) {
                    throw error(item, "'" + text + "' is listed twice in '" + key + "'");
                }
                items.add(text);
            }
            return List.copyOf(items);
        }

        /** {@code file:line} of this mapping, for findings made after reading. */
        public String where() {
            return file + ":" + (node.getStartMark().getLine() + 1);
        }

        /** Whether {@code key} is present. */
        public boolean has(String key) {
            return values.containsKey(key);
        }

        /** A true/false value. */
        public boolean bool(String key) {
            String value = scalar(required(key), "'" + key + "'").strip();
            return switch (value) {
                case "true" -> true;
                case "false" -> false;
                default -> throw error(required(key), "'" + key + "' must be true or false, not '" + value + "'");
            };
        }

        /** A list of mappings, each described as {@code item} in errors. */
        public List<Mapping> mappings(String key, String item) {
            Node value = required(key);
            if (!(value instanceof SequenceNode sequence)) {
                throw error(value, "'" + key + "' must be a list of " + item + "s");
            }
            List<Mapping> items = new ArrayList<>();
            for (Node node : sequence.getValue()) {
                items.add(YamlDocument.this.mapping(node, "each " + item + " in '" + key + "'"));
            }
            return List.copyOf(items);
        }


        /** The line of {@code key}'s value, for errors found after reading. */
        public PolicyException errorAtValue(String key, String message) {
            return error(required(key), message);
        }
    }
}
