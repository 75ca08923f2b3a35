package dev.mainstay.platform.flaky;

import java.util.regex.Pattern;

/** A repository named as {@code owner/name}, the way uploads, tokens and every flaky-test endpoint name it. */
final class RepoName {

    private static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");

    private RepoName() {
    }

    /** True when {@code repo} is a well-formed {@code owner/name}. */
    static boolean valid(String repo) {
        return repo != null && PATTERN.matcher(repo).matches();
    }
}
