package dev.mainstay.reports;

import java.util.Arrays;

/**
 * A text kept up to a bound: characters past it are counted, not stored, and the excerpt ends
 * with a note of how many were left out. Lets a parser read a 100 MB {@code <system-out>} in
 * constant memory.
 *
 * <p>The kept characters go into one array that grows as needed up to the bound and is kept
 * across {@link #clear()}, so a parser that reuses an excerpt for each test stops allocating
 * once it has seen its longest text; {@link #text()} makes the one string it returns straight
 * from the array's trimmed range.
 */
public final class Excerpt {

    private static final char[] NONE = {};

    private final int max;
    private char[] kept = NONE;
    private int length;
    private long dropped;

    public Excerpt(int max) {
        this.max = max;
    }

    /** Adds {@code length} characters of {@code chars} from {@code start}. */
    public void append(char[] chars, int start, int length) {
        int take = room(length);
        System.arraycopy(chars, start, kept, this.length, take);
        this.length += take;
        dropped += length - take;
    }

    /** Adds a string. */
    public void append(String text) {
        int take = room(text.length());
        text.getChars(0, take, kept, length);
        length += take;
        dropped += text.length() - take;
    }

    /** How many of {@code wanted} more characters are kept, with room made for them. */
    private int room(int wanted) {
        int take = Math.min(Math.max(0, max - length), wanted);
        if (length + take > kept.length) {
            kept = Arrays.copyOf(kept, Math.min(max, Math.max(length + take, Math.max(64, kept.length * 2))));
        }
        return take;
    }

    /** True when nothing was added. */
    public boolean isEmpty() {
        return length == 0 && dropped == 0;
    }

    /** Empties the excerpt to be filled again, keeping the room it grew. */
    public void clear() {
        length = 0;
        dropped = 0;
    }

    /** The kept text, trimmed ({@link String#strip()}), with {@code … [N more characters]} when some were left out. */
    public String text() {
        int from = 0;
        int to = length;
        // A surrogate is never white space, as a supplementary code point never is: char by char trims as strip() does.
        while (from < to && Character.isWhitespace(kept[from])) {
            from++;
        }
        while (to > from && Character.isWhitespace(kept[to - 1])) {
            to--;
        }
        String text = from == to ? "" : new String(kept, from, to - from);
        return dropped == 0 ? text : text + note(dropped);
    }

    /** {@code text} cut to {@code max} characters the same way. */
    public static String of(String text, int max) {
        int keep = Math.max(0, max);
        if (text.length() <= keep) {
            return text.strip();
        }
        return text.substring(0, keep).strip() + note(text.length() - keep);
    }

    private static String note(long dropped) {
        return "\n… [" + dropped + " more characters]";
    }
}
