package dev.mainstay.flaky;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a failure is, without what differs between runs of it: the normalised text of a failure's
 * message and stack trace, and a short hash of that text. Failures of different tests with one
 * root cause — every test that cannot reach {@code db:5432}, whichever ephemeral port, temp
 * directory or request id each one printed — get one signature, so they show as one cluster.
 *
 * <p>The text is, one per line: the failure's first two lines of text (exception type and message),
 * the last {@code Caused by:} line (the root cause), and the first {@value #FRAMES} application
 * frames ({@code at <frame>}), where runtime and test-framework frames do not count and Python's
 * innermost-last tracebacks are read from the end. Each line is normalised by {@link SignatureText}
 * (numbers, ids, addresses, times, durations, temp paths) and {@link StackFrames} (line numbers,
 * directories, generated classes).
 *
 * <p>The work is bounded and linear: only the first {@value #MAX_INPUT_CHARS} characters of the
 * message and of the stack trace are read, each output line is at most {@value #MAX_LINE_CHARS}
 * characters and the whole text at most {@value #MAX_TEXT_CHARS}, so a megabyte of stack trace
 * costs no more than 16 KiB of it. Changing the rules changes signatures: the hash covers the
 * rules' {@link #VERSION}.
 *
 * @param text the normalised failure, at most {@value #MAX_TEXT_CHARS} characters, never empty
 * @param hash 16 lower-case hex digits: the first 8 bytes of SHA-256 over the version and the text
 */
public record FailureSignature(String text, String hash) {

    /** The version of the normalisation rules; a change that regroups failures raises it. */
    public static final int VERSION = 1;
    /** How much of the message, and of the stack trace, is read. */
    public static final int MAX_INPUT_CHARS = 16 * 1024;
    /** The longest line of the text. */
    public static final int MAX_LINE_CHARS = 240;
    /** The longest text: {@value #TEXT_LINES} text lines and {@value #FRAMES} frames of at most {@value #MAX_LINE_CHARS}. */
    public static final int MAX_TEXT_CHARS = 6 * (MAX_LINE_CHARS + 4);
    /** Application frames kept: few enough that tests failing alike in shared code share a signature. */
    public static final int FRAMES = 2;
    /** Lines of message kept, besides the root cause. */
    static final int TEXT_LINES = 2;

    private static final String CAUSED_BY = "Caused by:";
    private static final String PYTHON_TRACEBACK = "Traceback (most recent call last)";

    public FailureSignature {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(hash, "hash");
        if (text.isEmpty() || text.length() > MAX_TEXT_CHARS) {
            throw new IllegalArgumentException("a signature's text has 1 to " + MAX_TEXT_CHARS + " characters, not " + text.length());
        }
    }

    /**
     * The signature of a failure with {@code message} and {@code stackTrace} (either may be empty);
     * empty when neither holds anything but white space and frames of no application.
     *
     * @throws NullPointerException when either is null
     */
    public static Optional<FailureSignature> of(String message, String stackTrace) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(stackTrace, "stackTrace");
        Reading fromMessage = new Reading();
        fromMessage.read(message);
        Reading fromTrace = new Reading();
        fromTrace.read(stackTrace);

        List<String> lines = new ArrayList<>(TEXT_LINES * 2 + 1);
        for (Reading r : List.of(fromTrace, fromMessage)) {
            for (String line : r.text) {
                addUnlessContained(lines, line);
            }
        }
        // The trace's own headline usually repeats the message: the message's lines go first when they are new.
        List<String> text = new ArrayList<>();
        for (String line : fromMessage.text) {
            if (lines.contains(line) && text.size() < TEXT_LINES) {
                text.add(line);
            }
        }
        for (String line : lines) {
            if (!text.contains(line) && text.size() < TEXT_LINES) {
                text.add(line);
            }
        }
        String cause = fromTrace.cause != null ? fromTrace.cause : fromMessage.cause;
        if (cause != null && !text.contains(cause)) {
            text.add(cause);
        }
        Reading frames = fromTrace.hasFrames() ? fromTrace : fromMessage;
        for (String frame : frames.frames()) {
            text.add("at " + frame);
        }
        String joined = String.join("\n", text);
        if (joined.isEmpty()) {
            return Optional.empty();
        }
        if (joined.length() > MAX_TEXT_CHARS) {
            joined = joined.substring(0, MAX_TEXT_CHARS);
        }
        return Optional.of(new FailureSignature(joined, hash(joined)));
    }

    /** The hash of {@code text} under this {@link #VERSION} of the rules. */
    static String hash(String text) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((byte) VERSION);
            byte[] digest = sha.digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static void addUnlessContained(List<String> lines, String line) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(line)) {
                return;
            }
            if (line.contains(lines.get(i))) {
                lines.set(i, line);
                return;
            }
        }
        lines.add(line);
    }

    /** One pass over a message or a stack trace, line by line. */
    private static final class Reading {
        final List<String> text = new ArrayList<>(TEXT_LINES);
        String cause;
        final List<String> firstApplicationFrames = new ArrayList<>(FRAMES);
        /** The last application frames, oldest first, for tracebacks that put the innermost frame last. */
        final List<String> lastApplicationFrames = new ArrayList<>(FRAMES);
        String firstFrame;
        String lastFrame;
        boolean innermostLast;

        void read(String s) {
            int end = Math.min(s.length(), MAX_INPUT_CHARS);
            if (end < s.length()) {
                // Cut short: the last line is likely cut in the middle, so it is left out unless it is the only one.
                int lastBreak = end - 1;
                while (lastBreak > 0 && s.charAt(lastBreak) != '\n' && s.charAt(lastBreak) != '\r') {
                    lastBreak--;
                }
                end = lastBreak > 0 ? lastBreak : end;
                if (Character.isHighSurrogate(s.charAt(end - 1))) {
                    end--;
                }
            }
            boolean afterPythonFrame = false;
            int from = 0;
            while (from < end) {
                int newline = from;
                while (newline < end && s.charAt(newline) != '\n' && s.charAt(newline) != '\r') {
                    newline++;
                }
                int next = newline + 1;
                int lineStart = from;
                int lineEnd = newline;
                while (lineStart < lineEnd && Character.isWhitespace(s.charAt(lineStart))) {
                    lineStart++;
                }
                while (lineEnd > lineStart && Character.isWhitespace(s.charAt(lineEnd - 1))) {
                    lineEnd--;
                }
                if (lineStart < lineEnd) {
                    boolean indented = lineStart > from;
                    afterPythonFrame = line(s, lineStart, lineEnd, indented && afterPythonFrame, next, end);
                }
                from = next;
            }
        }

        /** Takes one trimmed line; returns whether it was a Python frame, whose source line follows. */
        private boolean line(String s, int from, int to, boolean pythonSource, int next, int end) {
            if (pythonSource) {
                return false;
            }
            StackFrames.Frame frame = StackFrames.parse(s, from, to);
            if (frame == null && StackFrames.goLocation(s, from, to)) {
                return false;
            }
            if (frame == null && goLocationFollows(s, next, end)) {
                frame = StackFrames.goFunction(s, from, to);
            }
            if (frame != null) {
                frame(frame);
                return s.startsWith("File \"", from);
            }
            if (s.startsWith(PYTHON_TRACEBACK, from)) {
                innermostLast = true;
                return false;
            }
            if (s.startsWith("... ", from) || s.startsWith("goroutine ", from)) {
                return false;
            }
            if (s.startsWith(CAUSED_BY, from)) {
                cause = normalised(s, from, to);
            } else if (text.size() < TEXT_LINES) {
                String line = normalised(s, from, to);
                if (!line.isEmpty() && !text.contains(line)) {
                    text.add(line);
                }
            }
            return false;
        }

        private static boolean goLocationFollows(String s, int next, int end) {
            int from = next;
            while (from < end && (s.charAt(from) == '\n' || s.charAt(from) == '\r' || s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
                from++;
            }
            int to = from;
            while (to < end && s.charAt(to) != '\n' && s.charAt(to) != '\r') {
                to++;
            }
            return from < to && StackFrames.goLocation(s, from, to);
        }

        private void frame(StackFrames.Frame frame) {
            if (frame.name().equals(lastFrame)) {
                // The same frame again: another failure of the same test in the same place, or recursion.
                return;
            }
            if (firstFrame == null) {
                firstFrame = frame.name();
            }
            lastFrame = frame.name();
            if (!frame.application()) {
                return;
            }
            if (firstApplicationFrames.size() < FRAMES) {
                firstApplicationFrames.add(frame.name());
            }
            if (lastApplicationFrames.size() == FRAMES) {
                lastApplicationFrames.remove(0);
            }
            lastApplicationFrames.add(frame.name());
        }

        boolean hasFrames() {
            return firstFrame != null;
        }

        /** The frames that name the failure: the innermost application frames, else the innermost frame. */
        List<String> frames() {
            if (innermostLast) {
                return lastApplicationFrames.isEmpty() ? (lastFrame == null ? List.of() : List.of(lastFrame))
                    : lastApplicationFrames.reversed();
            }
            return firstApplicationFrames.isEmpty() ? (firstFrame == null ? List.of() : List.of(firstFrame)) : firstApplicationFrames;
        }

        private static String normalised(String s, int from, int to) {
            StringBuilder out = new StringBuilder(Math.min(to - from, MAX_LINE_CHARS) + 16);
            SignatureText.normalise(s, from, to, out, MAX_LINE_CHARS);
            return out.toString();
        }
    }
}
