package dev.mainstay.cli.command;

/**
 * One {@code --name} a command accepts, and its line in the help text.
 *
 * @param name  without the dashes, e.g. {@code url}
 * @param kind  whether it takes a value, and how many
 * @param value what the value is, for the help text (e.g. {@code URL}); empty for a switch
 * @param help  one line
 */
public record Option(String name, Kind kind, String value, String help) {

    /** How many values an option takes. */
    public enum Kind {
        /** None: {@code --json}. */
        SWITCH,
        /** Exactly one, once: {@code --url URL} or {@code --url=URL}. */
        ONE,
        /** One or more, and the option may be repeated: {@code --junit a.xml b.xml --junit 'c/**.xml'}. */
        MANY
    }

    public static Option toggle(String name, String help) {
        return new Option(name, Kind.SWITCH, "", help);
    }

    public static Option one(String name, String value, String help) {
        return new Option(name, Kind.ONE, value, help);
    }

    public static Option many(String name, String value, String help) {
        return new Option(name, Kind.MANY, value, help);
    }

    /** How it is written in help, e.g. {@code --junit GLOB...}. */
    public String synopsis() {
        return switch (kind) {
            case SWITCH -> "--" + name;
            case ONE -> "--" + name + " " + value;
            case MANY -> "--" + name + " " + value + "...";
        };
    }
}
