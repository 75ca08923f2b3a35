package dev.mainstay.flaky;

/** Branch globs: {@code *} matches within one {@code /}-separated segment, {@code **} across segments, {@code ?} one character. */
final class BranchGlob {

    private BranchGlob() {
    }

    static boolean matches(String glob, String branch) {
        return matches(glob, 0, branch, 0);
    }

    private static boolean matches(String glob, int g, String text, int t) {
        while (g < glob.length()) {
            char c = glob.charAt(g);
            if (c == '*') {
                boolean any = g + 1 < glob.length() && glob.charAt(g + 1) == '*';
                int next = g + (any ? 2 : 1);
                for (int end = t; end <= text.length(); end++) {
                    if (matches(glob, next, text, end)) {
                        return true;
                    }
                    if (end < text.length() && !any && text.charAt(end) == '/') {
                        return false;
                    }
                }
                return false;
            }
            if (t >= text.length() || (c != '?' && c != text.charAt(t)) || (c == '?' && text.charAt(t) == '/')) {
                return false;
            }
            g++;
            t++;
        }
        return t == text.length();
    }
}
