package dev.mainstay.cli.ci;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code owner/name} of a repository, read from a git remote URL. */
final class RepoSlug {

    /** scp-like {@code git@host:owner/name.git}. */
    private static final Pattern SCP = Pattern.compile("^[^/@:]+@[^/:]+:(?<path>.+)$");
    /** {@code https://host/owner/name.git}, {@code ssh://git@host:22/owner/name}, {@code git://…}. */
    private static final Pattern URL = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]+/(?<path>.+)$");

    private RepoSlug() {
    }

    /**
     * The path of the repository in {@code remote}, without {@code .git}: {@code acme/shop}, or
     * {@code group/subgroup/name} on GitLab. Azure Repos' {@code …/project/_git/name} gives
     * {@code project/name}. Empty when {@code remote} is not a URL with at least two path segments.
     */
    static Optional<String> fromRemote(String remote) {
        String r = remote == null ? "" : remote.strip();
        Matcher m = URL.matcher(r);
        if (!m.matches()) {
            m = SCP.matcher(r);
            if (!m.matches()) {
                return Optional.empty();
            }
        }
        String path = m.group("path");
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        path = path.replaceAll("/+$", "").replaceAll("\\.git$", "").replaceAll("^/+", "");
        int git = path.indexOf("/_git/");
        if (git >= 0) {
            String before = path.substring(0, git);
            path = before.substring(before.lastIndexOf('/') + 1) + "/" + path.substring(git + "/_git/".length());
        }
        return path.contains("/") ? Optional.of(path) : Optional.empty();
    }
}
