package dev.mainstay.platform.ingest;

import java.util.List;

/**
 * Which of an org's repositories have test results: those with at least one stored upload, however
 * long ago and whatever it held (an upload flagged as a probable infrastructure failure is stored,
 * so it counts; a refused one stores nothing, so it does not). The one answer for every page that
 * lists repositories with results, so that the Uploads page and the flaky-test pages name the same
 * ones; other features ask here rather than read {@code ingest_upload}.
 */
public interface RepositoriesWithResults {

    /** The repositories ({@code owner/name}) of {@code org} with at least one stored upload, by name. */
    List<String> of(String org);
}
