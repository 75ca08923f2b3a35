package dev.mainstay.cli.command;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A command line read against a command's {@link Option}s: {@code --name value},
 * {@code --name=value}, switches, options with several values (which take every following word
 * up to the next {@code --option}), and positional words. {@code --} ends the options. Anything
 * else is a {@link UsageException} that names the word and, for a misspelt option, the closest one.
 */
public final class Arguments {

    private final Map<String, List<String>> values;
    private final List<String> positionals;

    private Arguments(Map<String, List<String>> values, List<String> positionals) {
        this.values = values;
        this.positionals = positionals;
    }

    /**
     * Reads {@code words} for {@code command} (e.g. {@code upload}, for messages).
     *
     * @throws UsageException for an unknown option, a missing value, a value given twice, or a
     *                        positional word where the command takes none
     */
    public static Arguments parse(String command, List<Option> options, List<String> words, boolean takesPositionals)
        throws UsageException {
        Map<String, Option> byName = new LinkedHashMap<>();
        options.forEach(o -> byName.put(o.name(), o));
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<String> positionals = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (optionsEnded || !word.startsWith("--") || word.equals("--")) {
                if (word.equals("--") && !optionsEnded) {
                    optionsEnded = true;
                    continue;
                }
                if (!takesPositionals) {
                    throw new UsageException("'mainstay " + command + "' takes no argument '" + word + "'"
                        + (word.startsWith("-") ? "; options start with --" : ""));
                }
                positionals.add(word);
                continue;
            }
            int eq = word.indexOf('=');
            String name = word.substring(2, eq < 0 ? word.length() : eq);
            Option option = byName.get(name);
            if (option == null) {
                throw new UsageException("unknown option --" + name + " for 'mainstay " + command + "'" + suggestion(name, byName.keySet()));
            }
            List<String> given = values.computeIfAbsent(name, n -> new ArrayList<>());
            switch (option.kind()) {
                case SWITCH -> {
                    if (eq >= 0) {
                        throw new UsageException("--" + name + " takes no value");
                    }
                    given.add("");
                }
                case ONE -> {
                    if (!given.isEmpty()) {
                        throw new UsageException("--" + name + " is given twice; give it once");
                    }
                    if (eq >= 0) {
                        given.add(word.substring(eq + 1));
                    } else if (i + 1 < words.size() && !isOption(words.get(i + 1))) {
                        given.add(words.get(++i));
                    } else {
                        throw new UsageException("--" + name + " needs a value: " + option.synopsis());
                    }
                }
                case MANY -> {
                    int before = given.size();
                    if (eq >= 0) {
                        given.add(word.substring(eq + 1));
                    }
                    while (i + 1 < words.size() && !isOption(words.get(i + 1))) {
                        given.add(words.get(++i));
                    }
                    if (given.size() == before) {
                        throw new UsageException("--" + name + " needs at least one value: " + option.synopsis());
                    }
                }
            }
        }
        return new Arguments(values, List.copyOf(positionals));
    }

    private static boolean isOption(String word) {
        return word.startsWith("--");
    }

    /** True when the switch or option {@code name} was given. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The value of {@code name}, when given. */
    public Optional<String> value(String name) {
        List<String> given = values.get(name);
        return given == null || given.isEmpty() ? Optional.empty() : Optional.of(given.get(0));
    }

    /** Every value of {@code name}, in order; empty when it was not given. */
    public List<String> values(String name) {
        return List.copyOf(values.getOrDefault(name, List.of()));
    }

    /** The words that are not options, in order. */
    public List<String> positionals() {
        return positionals;
    }

    /** "; did you mean --x?" for the known name closest to {@code name}, when one is close. */
    private static String suggestion(String name, java.util.Set<String> known) {
        return known.stream()
            .filter(k -> distance(name, k) <= Math.max(2, name.length() / 3))
            .min(Comparator.comparingInt((String k) -> distance(name, k)))
            .map(k -> "; did you mean --" + k + "?")
            .orElse("");
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
