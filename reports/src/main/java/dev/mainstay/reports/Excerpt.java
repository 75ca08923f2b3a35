package dev.mainstay.reports;

/**
 * A text kept up to a bound: characters past it are counted, not stored, and the excerpt ends
 * with a note of how many were left out. Lets a parser read a 100 MB {@code <system-out>} in
 * constant memory.
 */
public final class Excerpt {

    private final int max;
    private final StringBuilder kept = new StringBuilder();
    private long dropped;

    public Excerpt(int max) {
        this.max = max;
    }

    /** Adds {@code length} characters of {@code chars} from {@code start}. */
    public void append(char[] chars, int start, int length) {
        int room = Math.max(0, max - kept.length());
        int take = Math.min(room, length);
        kept.append(chars, start, take);
        dropped += length - take;
    }

    /** Adds a string. */
    public void append(String text) {
        int room = Math.max(0, max - kept.length());
        int take = Math.min(room, text.length());
        kept.append(text, 0, take);
        dropped += text.length() - take;
    }

    /** True when nothing was added. */
    public boolean isEmpty() {
        return kept.isEmpty() && dropped == 0;
    }

    /** The kept text, trimmed, with {@code … [N more characters]} when some were left out. */
    public String text() {
        String text = kept.toString().strip();
        return dropped == 0 ? text : text + "\n… [" + dropped + " more characters]";
    }

    /** {@code text} cut to {@code max} characters the same way. */
    public static String of(String text, int max) {
        Excerpt e = new Excerpt(max);
        e.append(text);
        return e.text();
    }
}
