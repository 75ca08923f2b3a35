package dev.mainstay.reports.bundle;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.mainstay.reports.JsonReports;
import dev.mainstay.reports.ParseLimits;
import dev.mainstay.reports.ReportException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * What an upload is about: the bundle's {@code mainstay.json}. Texts are never null; an absent
 * one is empty. Format version 1 (docs/uploads.md has the changelog); unknown keys are ignored,
 * so a newer CLI can talk to an older appliance.
 *
 * @param repo        the repository, {@code owner/name} (GitLab: {@code group/subgroup/name}); required
 * @param commit      the full commit SHA the tests ran on (40 or 64 hex digits, stored lowercase); required
 * @param branch      the branch, when known
 * @param pullRequest the pull or merge request number, when the run is for one
 * @param ciProvider  e.g. {@code github-actions}, {@code gitlab-ci}, {@code jenkins}
 * @param jobName     the CI job's name, e.g. {@code unit-tests}
 * @param jobId       the CI job's id in its provider
 * @param jobUrl      a link to the job (http or https only)
 * @param runId       the CI run (pipeline, build, workflow run) the job belongs to
 * @param runAttempt  which attempt of the run, when the CI retries whole runs
 * @param variant     the environment the tests ran in, part of each test's identity, e.g. {@code linux}
 * @param startedAt   when the job started
 * @param finishedAt  when the job finished
 */
public record UploadMetadata(String repo, String commit, String branch, OptionalInt pullRequest, String ciProvider, String jobName,
                             String jobId, String jobUrl, String runId, OptionalInt runAttempt, String variant,
                             Optional<Instant> startedAt, Optional<Instant> finishedAt) {

    /** The entry name of the metadata in a bundle. */
    public static final String ENTRY = "mainstay.json";
    /** The format version this build writes and reads. */
    public static final int VERSION = 1;
    /** The longest text value accepted. */
    public static final int MAX_TEXT = 1000;

    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+");
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    private static final ParseLimits LIMITS = new ParseLimits(64 << 10, 4, 4096, 4096);

    /**
     * @throws IllegalArgumentException naming the field and what is wrong with it
     */
    public UploadMetadata {
        repo = text("repo", repo);
        if (!REPO.matcher(repo).matches() || repo.length() > 200) {
            throw new IllegalArgumentException("repo must be owner/name (letters, digits, '.', '_', '-'), not '" + shorten(repo) + "'");
        }
        commit = text("commit", commit).toLowerCase(Locale.ROOT);
        if (!SHA.matcher(commit).matches()) {
            throw new IllegalArgumentException("commit must be a full SHA of 40 or 64 hex digits, not '" + shorten(commit) + "'");
        }
        branch = text("branch", branch);
        Objects.requireNonNull(pullRequest, "pullRequest");
        if (pullRequest.isPresent() && pullRequest.getAsInt() < 1) {
            throw new IllegalArgumentException("pull_request must be a positive number, not " + pullRequest.getAsInt());
        }
        ciProvider = text("ci_provider", ciProvider);
        jobName = text("job_name", jobName);
        jobId = text("job_id", jobId);
        jobUrl = text("job_url", jobUrl);
        if (!jobUrl.isEmpty() && !isWebLink(jobUrl)) {
            throw new IllegalArgumentException("job_url must be an http or https URL, not '" + shorten(jobUrl) + "'");
        }
        runId = text("run_id", runId);
        Objects.requireNonNull(runAttempt, "runAttempt");
        if (runAttempt.isPresent() && runAttempt.getAsInt() < 1) {
            throw new IllegalArgumentException("run_attempt must be 1 or more, not " + runAttempt.getAsInt());
        }
        variant = text("variant", variant);
        if (variant.length() > 100) {
            throw new IllegalArgumentException("variant must be at most 100 characters");
        }
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        if (startedAt.isPresent() && finishedAt.isPresent() && finishedAt.get().isBefore(startedAt.get())) {
            throw new IllegalArgumentException("finished_at " + finishedAt.get() + " is before started_at " + startedAt.get());
        }
    }

    /** Metadata with only the required fields. */
    public static UploadMetadata of(String repo, String commit) {
        return new UploadMetadata(repo, commit, "", OptionalInt.empty(), "", "", "", "", "", OptionalInt.empty(), "",
            Optional.empty(), Optional.empty());
    }

    /**
     * Reads {@code mainstay.json}.
     *
     * @throws ReportException when it is not JSON, not an object, of another version, or a field is
     *                         missing or invalid; the message names the field
     */
    public static UploadMetadata read(InputStream in) throws ReportException, IOException {
        String repo = "";
        String commit = "";
        String branch = "";
        OptionalInt pullRequest = OptionalInt.empty();
        String ciProvider = "";
        String jobName = "";
        String jobId = "";
        String jobUrl = "";
        String runId = "";
        OptionalInt runAttempt = OptionalInt.empty();
        String variant = "";
        Optional<Instant> startedAt = Optional.empty();
        Optional<Instant> finishedAt = Optional.empty();
        int version = 0;
        try (JsonParser json = JsonReports.parser(in, LIMITS)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw problem(json, "must be a JSON object");
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String key = json.currentName();
                JsonToken value = json.nextToken();
                if (value == JsonToken.VALUE_NULL) {
                    continue;
                }
                switch (key) {
                    case "version" -> version = number(json, key);
                    case "repo" -> repo = string(json, key);
                    case "commit" -> commit = string(json, key);
                    case "branch" -> branch = string(json, key);
                    case "pull_request" -> pullRequest = OptionalInt.of(number(json, key));
                    case "ci_provider" -> ciProvider = string(json, key);
                    case "job_name" -> jobName = string(json, key);
                    case "job_id" -> jobId = string(json, key);
                    case "job_url" -> jobUrl = string(json, key);
                    case "run_id" -> runId = string(json, key);
                    case "run_attempt" -> runAttempt = OptionalInt.of(number(json, key));
                    case "variant" -> variant = string(json, key);
                    case "started_at" -> startedAt = Optional.of(instant(json, key));
                    case "finished_at" -> finishedAt = Optional.of(instant(json, key));
                    default -> json.skipChildren();
                }
            }
            if (json.nextToken() != null) {
                throw problem(json, "must hold one JSON object and nothing after it");
            }
            if (version != VERSION) {
                throw new ReportException(ENTRY, java.util.OptionalLong.empty(), version == 0
                    ? "\"version\": " + VERSION + " is required"
                    : "version " + version + " is not known to this appliance; it reads version " + VERSION);
            }
            if (repo.isEmpty() || commit.isEmpty()) {
                throw new ReportException(ENTRY, java.util.OptionalLong.empty(), (repo.isEmpty() ? "\"repo\"" : "\"commit\"") + " is required");
            }
            return new UploadMetadata(repo, commit, branch, pullRequest, ciProvider, jobName, jobId, jobUrl, runId, runAttempt, variant,
                startedAt, finishedAt);
        } catch (IllegalArgumentException e) {
            throw new ReportException(ENTRY, java.util.OptionalLong.empty(), e.getMessage(), e);
        } catch (IOException e) {
            throw JsonReports.failure(ENTRY, e);
        }
    }

    /** Writes this as {@code mainstay.json}, version {@link #VERSION}, absent fields left out. */
    public void write(OutputStream out) throws IOException {
        try (JsonGenerator json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeNumberField("version", VERSION);
            json.writeStringField("repo", repo);
            json.writeStringField("commit", commit);
            writeText(json, "branch", branch);
            if (pullRequest.isPresent()) {
                json.writeNumberField("pull_request", pullRequest.getAsInt());
            }
            writeText(json, "ci_provider", ciProvider);
            writeText(json, "job_name", jobName);
            writeText(json, "job_id", jobId);
            writeText(json, "job_url", jobUrl);
            writeText(json, "run_id", runId);
            if (runAttempt.isPresent()) {
                json.writeNumberField("run_attempt", runAttempt.getAsInt());
            }
            writeText(json, "variant", variant);
            if (startedAt.isPresent()) {
                json.writeStringField("started_at", startedAt.get().toString());
            }
            if (finishedAt.isPresent()) {
                json.writeStringField("finished_at", finishedAt.get().toString());
            }
            json.writeEndObject();
        }
    }

    private static void writeText(JsonGenerator json, String key, String value) throws IOException {
        if (!value.isEmpty()) {
            json.writeStringField(key, value);
        }
    }

    private static String text(String field, String value) {
        String v = Objects.requireNonNull(value, field).strip();
        if (v.length() > MAX_TEXT) {
            throw new IllegalArgumentException(field + " must be at most " + MAX_TEXT + " characters");
        }
        for (int i = 0; i < v.length(); i++) {
            if (Character.isISOControl(v.charAt(i))) {
                throw new IllegalArgumentException(field + " must not contain control characters");
            }
        }
        return v;
    }

    private static boolean isWebLink(String url) {
        try {
            URI uri = new URI(url);
            return ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }

    private static String string(JsonParser json, String key) throws IOException, ReportException {
        if (json.currentToken() != JsonToken.VALUE_STRING) {
            throw problem(json, "\"" + key + "\" must be a string");
        }
        return json.getText();
    }

    private static int number(JsonParser json, String key) throws IOException, ReportException {
        if (json.currentToken() == JsonToken.VALUE_NUMBER_INT) {
            long n = json.getLongValue();
            if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) {
                return (int) n;
            }
        } else if (json.currentToken() == JsonToken.VALUE_STRING && json.getText().strip().matches("-?[0-9]{1,9}")) {
            return Integer.parseInt(json.getText().strip());
        }
        throw problem(json, "\"" + key + "\" must be a whole number");
    }

    private static Instant instant(JsonParser json, String key) throws IOException, ReportException {
        String text = string(json, key);
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw problem(json, "\"" + key + "\" must be a time like 2026-11-22T09:30:00Z, not '" + shorten(text) + "'");
        }
    }

    private static ReportException problem(JsonParser json, String what) {
        return new ReportException(ENTRY, JsonReports.line(json.currentLocation()), what);
    }
}
