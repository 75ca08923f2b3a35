package dev.mainstay.cli.upload;

import dev.mainstay.cli.check.LocalReport;
import dev.mainstay.cli.command.Context;
import dev.mainstay.cli.command.ExitCode;
import dev.mainstay.reports.ReportSummary;
import java.net.URI;
import java.util.Map;

/** What the user is told of an upload's outcome, and the exit code it ends with. */
public final class Answers {

    private Answers() {
    }

    /**
     * Prints {@code outcome}: the summary (or with {@code json} the appliance's JSON) on standard
     * output, refusals and warnings on standard error. Never prints the token.
     */
    static ExitCode report(Context context, URI endpoint, UploadClient.Outcome outcome, boolean json, int reports) {
        return outcome instanceof UploadClient.Answered a ? answered(context, a, json, reports) : unanswered(context, endpoint, outcome);
    }

    /** Tells the user why no answer came ({@code outcome} is not {@link UploadClient.Answered}); returns the exit code. */
    public static ExitCode unanswered(Context context, URI endpoint, UploadClient.Outcome outcome) {
        return switch (outcome) {
            case UploadClient.Unreachable u -> fail(context, u.reason() + attempts(u.attempts()), ExitCode.UNREACHABLE);
            case UploadClient.Untrusted u -> fail(context, untrusted(endpoint, u.reason()), ExitCode.UNREACHABLE);
            case UploadClient.Answered a -> throw new IllegalArgumentException("answered " + a.status());
        };
    }

    /**
     * Says that the certificate of {@code endpoint} is not trusted (the TLS {@code reason}) and which
     * file to pass: the CA certificate that signed it, with {@code --ca-cert FILE}; for an appliance
     * that {@code ./mainstay dev} runs, the certificate it made itself, {@code <data-dir>/tls/cert.pem}
     * ({@code .mainstay-dev/tls/cert.pem} unless it was given {@code --data-dir}). People meet this
     * first against a dev appliance, so the message names that file rather than leave them to find it.
     */
    static String untrusted(URI endpoint, String reason) {
        return "the certificate of " + origin(endpoint) + " is not trusted (" + reason + "); pass the CA certificate that signed it"
            + " with --ca-cert FILE; for an appliance that ./mainstay dev runs, that is --ca-cert <data-dir>/tls/cert.pem"
            + " (by default .mainstay-dev/tls/cert.pem in the checkout that runs it)";
    }

    private static ExitCode answered(Context context, UploadClient.Answered a, boolean json, int reports) {
        int status = a.status();
        Map<String, String> fields = JsonFields.read(a.body());
        if (json && !a.body().isBlank()) {
            context.out().println(a.body().strip());
        }
        if (status == 200 || status == 201) {
            if (!json) {
                boolean replayed = status == 200 || a.header("Idempotent-Replayed").map("true"::equalsIgnoreCase).orElse(false);
                context.out().println("mainstay: " + (replayed ? "this bundle was uploaded before, as upload " : "uploaded " + reports
                    + (reports == 1 ? " report" : " reports") + " as upload ") + fields.getOrDefault("id", "(no id)") + ": "
                    + LocalReport.counts(summary(fields)));
            }
            if ("true".equals(fields.get("infrastructure_failure"))) {
                context.err().println("mainstay: warning: most cases that ran failed or ended in an error; the appliance marked this upload"
                    + " an infrastructure failure (a broken runner, not broken tests), and flaky-test detection ignores it");
            }
            return ExitCode.OK;
        }
        String detail = detail(a, fields).isEmpty() ? "" : ": " + detail(a, fields);
        if (status == 401 || status == 403) {
            return fail(context, "the token was refused (" + status + ")" + detail, ExitCode.TOKEN_REFUSED);
        }
        if (status == 413) {
            return fail(context, "upload refused (413)" + detail, ExitCode.TOO_LARGE);
        }
        if (status == 422) {
            return fail(context, "upload refused (422)" + detail, ExitCode.INVALID_REPORT);
        }
        if (status == 429 || status >= 500) {
            return fail(context, (a.attempts() == 1 ? "the appliance answered " : "the appliance kept failing: its last answer was ")
                + Statuses.describe(status) + detail + attempts(a.attempts()), ExitCode.UNREACHABLE);
        }
        return fail(context, "the appliance answered unexpectedly (" + Statuses.describe(status) + ")" + detail
            + a.header("Location").map(l -> " (Location: " + l + ")").orElse("")
            + (status == 404 ? "; is --url the appliance's address?" : ""), ExitCode.UNREACHABLE);
    }

    /**
     * The problem's {@code detail} (else its {@code title}, else the start of the body; empty for an
     * empty body), led by the problem's {@code file} and {@code line} when it has them and the detail
     * does not start with them.
     */
    public static String detail(UploadClient.Answered a, Map<String, String> problem) {
        String detail = problem.getOrDefault("detail", problem.getOrDefault("title", ""));
        if (detail.isBlank()) {
            String body = a.body().strip();
            detail = body.lines().findFirst().orElse("");
            detail = detail.length() > 300 ? detail.substring(0, 300) + "…" : detail;
        }
        String file = problem.getOrDefault("file", "");
        if (!file.isEmpty() && !detail.startsWith(file)) {
            detail = file + (problem.containsKey("line") ? ":" + problem.get("line") : "") + ": " + detail;
        }
        return detail;
    }

    private static ReportSummary summary(Map<String, String> fields) {
        return new ReportSummary(count(fields, "cases"), count(fields, "passed"), count(fields, "failed"), count(fields, "errors"),
            count(fields, "skipped"), count(fields, "attempts"));
    }

    private static long count(Map<String, String> fields, String name) {
        try {
            return Long.parseLong(fields.getOrDefault(name, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Prints {@code message} on standard error; returns {@code code}. */
    public static ExitCode fail(Context context, String message, ExitCode code) {
        context.err().println("mainstay: " + message);
        return code;
    }

    private static String attempts(int n) {
        return n == 1 ? "" : " (after " + n + " attempts)";
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }
}
