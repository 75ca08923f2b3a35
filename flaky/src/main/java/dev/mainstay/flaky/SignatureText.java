package dev.mainstay.flaky;

/**
 * Normalises one line of failure text for a {@link FailureSignature}, in a single left-to-right
 * pass that copies into one builder: what differs between runs of the same failure becomes a
 * placeholder, what names the failure stays.
 *
 * <ul>
 *   <li>UUIDs {@code <uuid>}; ISO dates and times of day {@code <time>}; IPv4 addresses {@code <ip>};</li>
 *   <li>{@code 0x…} and words of 8+ hex digits with a digit (hashes, object ids) {@code <hex>};
 *       {@code @1a2b3c} (identity hash codes) {@code @<addr>};</li>
 *   <li>a number with a time unit ({@code 5000ms}, {@code 30 s}) {@code <duration>};</li>
 *   <li>temporary paths ({@code /tmp/…}, {@code /var/folders/…}, {@code …\AppData\Local\Temp\…}) {@code <tmp>};</li>
 *   <li>a port after a host name ({@code db:5432}) is kept, since it names the service, unless it is in the
 *       ephemeral range (32768 and up: {@code localhost:<port>}); every other number {@code <n>}, but digits
 *       inside a word ({@code Test3}, {@code utf8}) are part of its name;</li>
 *   <li>terminal colour codes are dropped, control characters and runs of white space become one space.</li>
 * </ul>
 */
final class SignatureText {

    /** The first port of the ephemeral range (Linux's starts at 32768, IANA's at 49152). */
    static final int EPHEMERAL_PORTS = 32768;

    private static final String[] TEMP_PREFIXES = {"/tmp/", "/var/tmp/", "/var/folders/", "/private/var/folders/", "/private/tmp/",
        "/dev/shm/"};
    private static final String WINDOWS_TEMP = "\\appdata\\local\\temp\\";
    private static final String[] SOURCE_EXTENSIONS = {"java", "kt", "kts", "scala", "groovy", "py", "rb", "js", "mjs", "cjs", "ts",
        "tsx", "jsx", "go", "swift", "m", "mm", "c", "cc", "cpp", "h", "hpp", "cs", "php", "phpt", "rs", "ex", "exs", "erl", "dart", "feature", "json", "yml", "yaml", "xml",
        "toml", "html", "vue", "svelte", "lua", "pl", "pm", "sh", "sql"};
    private static final String[] DURATION_UNITS = {"ns", "us", "µs", "ms", "s", "sec", "secs", "second", "seconds", "m", "min", "mins",
        "minute", "minutes", "h", "hr", "hrs", "hour", "hours", "millis", "milliseconds"};

    private SignatureText() {
    }

    /** Appends {@code s[from, to)} normalised to {@code out}, stopping once {@code out} holds {@code max} characters. */
    static void normalise(String s, int from, int to, StringBuilder out, int max) {
        int start = out.length();
        int i = from;
        while (i < to && out.length() - start < max) {
            char c = s.charAt(i);
            if (c == '\u001b') {
                i = skipEscape(s, i, to);
            } else if (c <= ' ' || Character.isISOControl(c) || Character.isWhitespace(c)) {
                if (out.length() > start && out.charAt(out.length() - 1) != ' ') {
                    out.append(' ');
                }
                i++;
            } else if ((c == '/' || c == '\\' || isAsciiLetter(c)) && atWordStart(s, i, from)) {
                int end = tempPathEnd(s, i, to);
                if (end > i) {
                    out.append("<tmp>");
                    i = end;
                } else if (isAsciiLetterOrDigit(c)) {
                    i = word(s, i, to, from, out);
                } else {
                    out.append(c);
                    i++;
                }
            } else if (isAsciiLetterOrDigit(c)) {
                i = word(s, i, to, from, out);
            } else if (c == '@' && hexRunEnd(s, i + 1, to) - (i + 1) >= 5 && address(s, i + 1, hexRunEnd(s, i + 1, to), to)) {
                out.append("@<addr>");
                i = hexRunEnd(s, i + 1, to);
            } else {
                out.append(c);
                i++;
            }
        }
        if (out.length() - start > max) {
            out.setLength(start + max);
        }
        while (out.length() > start && (out.charAt(out.length() - 1) == ' ' || Character.isHighSurrogate(out.charAt(out.length() - 1)))) {
            out.setLength(out.length() - 1);
        }
    }

    /** A word starting at {@code i}: a placeholder for what varies, else itself; returns where it ends. */
    private static int word(String s, int i, int to, int from, StringBuilder out) {
        int end = i;
        while (end < to && isAsciiLetterOrDigit(s.charAt(end))) {
            end++;
        }
        int special = uuid(s, i, to);
        if (special > 0) {
            out.append("<uuid>");
            return special;
        }
        if (isDigit(s.charAt(i)) && i > from && s.charAt(i - 1) == '_') {
            // A numbered name: test_01, step_2.
            out.append(s, i, end);
            return end;
        }
        if (isDigit(s.charAt(i))) {
            if ((special = time(s, i, to)) > 0) {
                out.append("<time>");
                return special;
            }
            if ((special = ipv4(s, i, to)) > 0) {
                out.append("<ip>");
                return port(s, special, to, true, out);
            }
            if (end - i > 2 && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X') && hexRunEnd(s, i + 2, to) == end) {
                out.append("<hex>");
                return end;
            }
            int digits = i;
            while (digits < to && isDigit(s.charAt(digits))) {
                digits++;
            }
            if (end - i >= 8 && digits < end && hexRunEnd(s, i, to) == end) {
                out.append("<hex>");
                return end;
            }
            if (isPort(s, i, digits, to, from)) {
                out.append(s, i, digits);
                return digits;
            }
            int number = digits;
            if (number + 1 < to && s.charAt(number) == '.' && isDigit(s.charAt(number + 1))) {
                number++;
                while (number < to && isDigit(s.charAt(number))) {
                    number++;
                }
            }
            int unit = durationUnitEnd(s, number, to);
            if (unit > 0) {
                out.append("<duration>");
                return unit;
            }
            boolean ephemeralPort = i > from && s.charAt(i - 1) == ':' && digits - i >= 5 && digits - i <= 5
                && Integer.parseInt(s, i, digits, 10) >= EPHEMERAL_PORTS && Integer.parseInt(s, i, digits, 10) <= 65535
                && !(digits + 1 < to && s.charAt(digits) == ':' && isDigit(s.charAt(digits + 1))) && isHostBefore(s, i - 1, from);
            out.append(ephemeralPort ? "<port>" : "<n>");
            return digits;
        }
        if (end - i >= 8 && hexRunEnd(s, i, to) == end && hasDigit(s, i, end)) {
            out.append("<hex>");
            return end;
        }
        out.append(s, i, end);
        return end;
    }

    /** After an address at {@code i}: keeps {@code :port} unless it is ephemeral. */
    private static int port(String s, int i, int to, boolean host, StringBuilder out) {
        if (!host || i + 1 >= to || s.charAt(i) != ':' || !isDigit(s.charAt(i + 1))) {
            return i;
        }
        int end = i + 1;
        while (end < to && isDigit(s.charAt(end))) {
            end++;
        }
        if (end - i - 1 > 5) {
            return i;
        }
        int value = Integer.parseInt(s, i + 1, end, 10);
        out.append(':');
        if (value >= EPHEMERAL_PORTS || value == 0) {
            out.append("<port>");
        } else {
            out.append(s, i + 1, end);
        }
        return end;
    }

    /** Whether the digits {@code s[i, end)} are a well-known port after a host name: {@code db:5432}. */
    private static boolean isPort(String s, int i, int end, int to, int from) {
        if (i == from || s.charAt(i - 1) != ':' || end - i < 2 || end - i > 5 || (end < to && isAsciiLetterOrDigit(s.charAt(end)))
            || (end + 1 < to && s.charAt(end) == ':' && isDigit(s.charAt(end + 1)))) {
            return false;
        }
        int value = Integer.parseInt(s, i, end, 10);
        return value > 0 && value < EPHEMERAL_PORTS && isHostBefore(s, i - 1, from);
    }

    /** Whether a host name ends just before the colon at {@code colon}: letters in it, not a source file. */
    private static boolean isHostBefore(String s, int colon, int from) {
        int start = colon;
        boolean letter = false;
        while (start > from && (isAsciiLetterOrDigit(s.charAt(start - 1)) || s.charAt(start - 1) == '.' || s.charAt(start - 1) == '-'
            || s.charAt(start - 1) == '_')) {
            start--;
            letter |= isAsciiLetter(s.charAt(start));
        }
        if (!letter || (start > from && (s.charAt(start - 1) == '\\' || (s.charAt(start - 1) == '/'
            && !(start - 2 >= from && s.charAt(start - 2) == '/'))))) {
            return false;
        }
        int dot = StackFrames.lastIndexOf(s, ".", start, colon);
        if (dot >= start) {
            String extension = s.substring(dot + 1, colon);
            for (String e : SOURCE_EXTENSIONS) {
                if (e.equalsIgnoreCase(extension)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The end of a time unit after a number at {@code i} (an optional space between), or 0. */
    private static int durationUnitEnd(String s, int i, int to) {
        int at = i < to && s.charAt(i) == ' ' ? i + 1 : i;
        int end = at;
        while (end < to && (isAsciiLetter(s.charAt(end)) || s.charAt(end) == 'µ')) {
            end++;
        }
        if (end == at || end - at > 12) {
            return 0;
        }
        for (String unit : DURATION_UNITS) {
            if (unit.length() == end - at && s.regionMatches(true, at, unit, 0, unit.length())) {
                return end;
            }
        }
        return 0;
    }

    /** The end of a UUID (8-4-4-4-12 hex digits) at {@code i}, or 0. */
    private static int uuid(String s, int i, int to) {
        int at = i;
        int[] groups = {8, 4, 4, 4, 12};
        for (int g = 0; g < groups.length; g++) {
            if (g > 0) {
                if (at >= to || s.charAt(at) != '-') {
                    return 0;
                }
                at++;
            }
            if (hexRunEnd(s, at, Math.min(to, at + groups[g])) != at + groups[g]) {
                return 0;
            }
            at += groups[g];
        }
        return at < to && isAsciiLetterOrDigit(s.charAt(at)) ? 0 : at;
    }

    /** The end of an ISO date (with an optional time and zone) or a time of day at {@code i}, or 0. */
    private static int time(String s, int i, int to) {
        int at = i;
        if (digits(s, at, to, 4) && at + 10 <= to && s.charAt(at + 4) == '-' && digits(s, at + 5, to, 2) && s.charAt(at + 7) == '-'
            && digits(s, at + 8, to, 2)) {
            at += 10;
            if (at + 1 < to && (s.charAt(at) == 'T' || s.charAt(at) == ' ') && clock(s, at + 1, to) > 0) {
                at = clock(s, at + 1, to);
            }
        } else {
            at = clock(s, at, to);
            if (at == 0) {
                return 0;
            }
        }
        if (at < to && (s.charAt(at) == 'Z' || s.charAt(at) == 'z')) {
            at++;
        } else if (at < to && (s.charAt(at) == '+' || s.charAt(at) == '-') && digits(s, at + 1, to, 2)) {
            at += 3;
            if (at < to && s.charAt(at) == ':') {
                at++;
            }
            if (digits(s, at, to, 2)) {
                at += 2;
            }
        }
        return at < to && isAsciiLetterOrDigit(s.charAt(at)) ? 0 : at;
    }

    /** The end of {@code hh:mm:ss[.fraction]} at {@code i}, or 0. */
    private static int clock(String s, int i, int to) {
        if (!(digits(s, i, to, 2) && i + 8 <= to && s.charAt(i + 2) == ':' && digits(s, i + 3, to, 2) && s.charAt(i + 5) == ':'
            && digits(s, i + 6, to, 2))) {
            return 0;
        }
        int at = i + 8;
        if (at + 1 < to && (s.charAt(at) == '.' || s.charAt(at) == ',') && isDigit(s.charAt(at + 1))) {
            at++;
            while (at < to && isDigit(s.charAt(at))) {
                at++;
            }
        }
        return at;
    }

    /** The end of a dotted IPv4 address at {@code i}, or 0. */
    private static int ipv4(String s, int i, int to) {
        int at = i;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (at >= to || s.charAt(at) != '.') {
                    return 0;
                }
                at++;
            }
            int start = at;
            while (at < to && at - start < 4 && isDigit(s.charAt(at))) {
                at++;
            }
            if (at == start || at - start > 3) {
                return 0;
            }
        }
        return at < to && (isAsciiLetterOrDigit(s.charAt(at)) || (s.charAt(at) == '.' && at + 1 < to && isDigit(s.charAt(at + 1))))
            ? 0 : at;
    }

    /** The end of a temporary path starting at {@code i}, or {@code i} when none starts there. */
    private static int tempPathEnd(String s, int i, int to) {
        boolean temp = false;
        if (s.charAt(i) == '/') {
            for (String prefix : TEMP_PREFIXES) {
                if (s.startsWith(prefix, i) && i + prefix.length() <= to) {
                    temp = true;
                    break;
                }
            }
        } else if (isAsciiLetter(s.charAt(i)) && i + 2 < to && s.charAt(i + 1) == ':' && s.charAt(i + 2) == '\\') {
            int end = pathEnd(s, i, to);
            int scan = i;
            while (!temp && scan + WINDOWS_TEMP.length() <= end) {
                temp = s.regionMatches(true, scan, WINDOWS_TEMP, 0, WINDOWS_TEMP.length());
                scan = StackFrames.indexOf(s, "\\", scan + 1, end);
                if (scan < 0) {
                    break;
                }
            }
        }
        return temp ? pathEnd(s, i, to) : i;
    }

    private static int pathEnd(String s, int i, int to) {
        int end = i;
        while (end < to) {
            char c = s.charAt(end);
            if (c <= ' ' || c == '"' || c == '\'' || c == '`' || c == '<' || c == '>' || c == '(' || c == ')' || c == '[' || c == ']'
                || c == '{' || c == '}' || c == ',' || c == ';' || c == '|' || (c == ':' && end > i + 1)) {
                break;
            }
            end++;
        }
        return end;
    }

    /** Whether the hex digits of {@code s[i, end)} are an identity hash code rather than, say, the start of a domain name. */
    private static boolean address(String s, int i, int end, int to) {
        return (end >= to || !isAsciiLetterOrDigit(s.charAt(end)) && s.charAt(end) != '.' && s.charAt(end) != '-') && (hasDigit(s, i, end)
            || end >= to || s.charAt(end) <= ' ');
    }

    /** Skips a terminal escape sequence (colours, cursor moves) at {@code i}. */
    private static int skipEscape(String s, int i, int to) {
        int at = i + 1;
        if (at < to && s.charAt(at) == '[') {
            at++;
            while (at < to && (isDigit(s.charAt(at)) || s.charAt(at) == ';' || s.charAt(at) == '?')) {
                at++;
            }
            if (at < to && isAsciiLetter(s.charAt(at))) {
                at++;
            }
        }
        return at;
    }

    private static int hexRunEnd(String s, int i, int to) {
        int at = i;
        while (at < to && Character.digit(s.charAt(at), 16) >= 0 && s.charAt(at) < 128) {
            at++;
        }
        return at;
    }

    private static boolean hasDigit(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (isDigit(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean digits(String s, int i, int to, int count) {
        if (i + count > to) {
            return false;
        }
        for (int k = i; k < i + count; k++) {
            if (!isDigit(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code i} starts a word: nothing before it, or something that is not part of a name. */
    private static boolean atWordStart(String s, int i, int from) {
        if (i == from) {
            return true;
        }
        char before = s.charAt(i - 1);
        return !isAsciiLetterOrDigit(before) && before != '_' && before != '$' && before != '.' && before != '/' && before != '\\';
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isAsciiLetterOrDigit(char c) {
        return isDigit(c) || isAsciiLetter(c);
    }
}
