package dev.mainstay.cli.ci;

import dev.mainstay.cli.command.UsageException;
import dev.mainstay.reports.bundle.UploadMetadata;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.EnumMap;
import java.util.Map;

/**
 * What is known about the build an upload comes from, as text, from one source: the command
 * line, a CI provider's environment, or git. An absent or blank field is unknown. {@link #orElse}
 * layers sources: flags over CI over git.
 */
public final class BuildFacts {

    /** Nothing known. */
    public static final BuildFacts NONE = new BuildFacts(new EnumMap<>(Field.class));

    private final EnumMap<Field, String> values;

    private BuildFacts(EnumMap<Field, String> values) {
        this.values = values;
    }

    /** The value of {@code field}, or empty when unknown. */
    public String get(Field field) {
        return values.getOrDefault(field, "");
    }

    /** These facts with {@code field} set to {@code value}; a null or blank value leaves it unknown. */
    public BuildFacts with(Field field, String value) {
        EnumMap<Field, String> copy = new EnumMap<>(Field.class);
        copy.putAll(values);
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            copy.remove(field);
        } else {
            copy.put(field, v);
        }
        return new BuildFacts(copy);
    }

    /** Each field of this, or of {@code fallback} where this one is unknown. */
    public BuildFacts orElse(BuildFacts fallback) {
        EnumMap<Field, String> merged = new EnumMap<>(Field.class);
        merged.putAll(fallback.values);
        merged.putAll(values);
        return new BuildFacts(merged);
    }

    /** The known fields, in {@link Field} order. */
    public Map<Field, String> known() {
        return Collections.unmodifiableMap(new EnumMap<>(values));
    }

    /**
     * The upload's {@code mainstay.json}.
     *
     * @throws UsageException when the repository or commit is unknown, or a field is invalid; the
     *                        message names the flag that sets it
     */
    public UploadMetadata metadata() throws UsageException {
        if (get(Field.REPO).isEmpty()) {
            throw new UsageException("the repository is unknown: no CI provider named it and the working directory has no git remote;"
                + " pass --repo owner/name");
        }
        if (get(Field.COMMIT).isEmpty()) {
            throw new UsageException("the commit is unknown: no CI provider named it and the working directory is not a git checkout;"
                + " pass --commit SHA");
        }
        try {
            return new UploadMetadata(get(Field.REPO), get(Field.COMMIT), get(Field.BRANCH), number(Field.PULL_REQUEST),
                get(Field.CI_PROVIDER), get(Field.JOB_NAME), get(Field.JOB_ID), get(Field.JOB_URL), get(Field.RUN_ID),
                number(Field.RUN_ATTEMPT), get(Field.VARIANT), time(Field.STARTED_AT), time(Field.FINISHED_AT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("invalid upload metadata: " + e.getMessage() + " (set it with --" + flagIn(e.getMessage()) + ")");
        }
    }

    private OptionalInt number(Field field) throws UsageException {
        String text = get(field);
        if (text.isEmpty()) {
            return OptionalInt.empty();
        }
        if (!text.matches("[0-9]{1,9}")) {
            throw new UsageException("--" + field.flag() + " must be a whole number, not '" + text + "'");
        }
        return OptionalInt.of(Integer.parseInt(text));
    }

    private Optional<Instant> time(Field field) throws UsageException {
        String text = get(field);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            throw new UsageException("--" + field.flag() + " must be a time with an offset like 2026-11-22T09:00:00Z, not '" + text + "'");
        }
    }

    /** The flag of the field an UploadMetadata message starts with ({@code job_url must be …} → {@code job-url}). */
    private static String flagIn(String message) {
        String key = message.split("[ :]", 2)[0];
        return key.equals("pull_request") ? Field.PULL_REQUEST.flag() : key.replace('_', '-');
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BuildFacts other && other.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
