package dev.mainstay.cli.upload;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which failed attempts the CLI makes again: only those that can succeed when asked again, and
 * only within {@link #BUDGET}. A CI job waiting on an error that will not pass learns nothing from
 * the wait; retrying a permanent 500 for 20 s, or a 503 "No GitHub App" six times, only delays
 * the message that says what to fix.
 *
 * <p>Retried (as the caller's {@code --retries} and the budget allow):
 * <ul>
 *   <li>no answer: a refused or reset connection, a timeout ({@link UploadClient} decides those);</li>
 *   <li>429, after its {@code Retry-After}, else the {@link Backoff};</li>
 *   <li>502 and 504, after their {@code Retry-After}, else the backoff: a proxy in front of the
 *       appliance whose upstream is restarting;</li>
 *   <li>503 only with a {@code Retry-After} the CLI can read (seconds or an HTTP date): the
 *       appliance says when it will be back. A bare 503 says nothing of the kind.</li>
 * </ul>
 * Never retried: every other 4xx (asking again gets the same refusal), 500 (a fault the same
 * request meets again), 501 and 505 and above (the appliance cannot serve this request at all),
 * and any answer whose body is a <em>permanent problem</em>.
 *
 * <p><b>The permanent problem contract.</b> An answer with {@code Content-Type:
 * application/problem+json} (RFC 9457) whose problem object has the extension member
 * {@code "permanent": true} at its top level (the JSON literal {@code true}, not the string) is
 * never retried, whatever its status and {@code Retry-After}: the appliance says that asking again
 * gets the same answer until a person changes something (installs the GitHub App, fixes the
 * configuration). A missing member, {@code false}, any other value, or another content type leave
 * the decision to the status as above. For example:
 * <pre>{@code
 * HTTP/1.1 503 Service Unavailable
 * Content-Type: application/problem+json
 *
 * {"title":"No GitHub App","status":503,"detail":"no GitHub App is installed for acme","permanent":true}
 * }</pre>
 *
 * <p><b>The budget.</b> Retries, their waits and the retried attempts together, fit in
 * {@link #BUDGET} (30 s) counted from the end of the first failed attempt: a retry is made only when
 * its wait ends within the budget. A {@code Retry-After} longer than what is left ends the retries
 * and says how long the appliance asked to wait. The budget starts at the first failure, not the
 * first attempt, because one attempt may rightly take long (a large bundle on a slow link, a
 * 30 s connect timeout) and its failure deserves a retry; an attempt under way is not cut short,
 * so a retried attempt that hangs until its timeout can end past the budget. {@code --retries}
 * still caps the number of retries; there is no option to lengthen the budget, so that a CI step
 * never hangs on the appliance for long.
 */
final class RetryPolicy {

    /** How long retrying may go on, from the end of the first failed attempt. */
    static final Duration BUDGET = Duration.ofSeconds(30);

    private RetryPolicy() {
    }

    /** What to do after an answer of 429 or 5xx. */
    sealed interface Verdict {
    }

    /**
     * Ask again.
     *
     * @param why   the answer, for the retry line
     * @param asked the wait its {@code Retry-After} asks for, if it has a readable one
     */
    record Retry(String why, Optional<Duration> asked) implements Verdict {
    }

    /** Do not ask again: {@code why} not, for the user. */
    record Final(String why) implements Verdict {
    }

    /**
     * The verdict on an answer of {@code status} (429 or 5xx) with {@code headers} and
     * {@code body}; {@code clock} reads a {@code Retry-After} date.
     *
     * @throws IllegalArgumentException when {@code status} is neither 429 nor 5xx (or above): those are final without asking
     */
    static Verdict after(int status, HttpHeaders headers, String body, Backoff backoff, Clock clock) {
        if (status != 429 && status < 500) {
            throw new IllegalArgumentException("only a 429 or 5xx answer may be retried, not " + status);
        }
        String answer = Statuses.describe(status);
        if (permanent(headers, body)) {
            return new Final("the appliance marked its " + answer + " permanent (\"permanent\": true): asking again gets the same answer");
        }
        Optional<Duration> asked = backoff.retryAfter(headers.firstValue("Retry-After"), clock);
        String why = "the appliance answered " + answer + problem(body).map(p -> ": " + p).orElse("")
            + asked.map(w -> " and asked to wait " + wholeSeconds(w) + " s").orElse("");
        return switch (status) {
            case 429, 502, 504 -> new Retry(why, asked);
            case 503 -> asked.isPresent() ? new Retry(why, asked)
                : new Final("a 503 without Retry-After does not say the appliance will be back soon");
            case 500 -> new Final("a 500 is a fault in the appliance that the same request meets again");
            default -> new Final(answer + " says the appliance cannot serve this request at all");
        };
    }

    /**
     * Why a retry after {@code wait} would not fit in the budget, with {@code spent} of it gone
     * ({@code asked}: the wait is the appliance's {@code Retry-After}); empty when it fits.
     */
    static Optional<String> beyondBudget(Duration wait, boolean asked, Duration spent) {
        Duration left = BUDGET.minus(spent);
        if (wait.compareTo(left) <= 0) {
            return Optional.empty();
        }
        String budget = "the " + BUDGET.toSeconds() + " s the CLI spends retrying";
        if (asked) {
            // Rounded down, so that what is left never reads as the whole budget once a moment is gone.
            long tenths = Math.max(0, left.toMillis() / 100);
            return Optional.of("the appliance asked to wait " + wholeSeconds(wait) + " s (Retry-After), more than the "
                + String.format(Locale.ROOT, "%d.%d s", tenths / 10, tenths % 10) + " left of " + budget);
        }
        return Optional.of("the next wait, " + seconds(wait) + ", would end past " + budget + " (" + seconds(spent) + " gone)");
    }

    /** True when {@code body} is a problem+json object with {@code "permanent": true}. */
    static boolean permanent(HttpHeaders headers, String body) {
        boolean problem = headers.firstValue("Content-Type")
            .map(t -> t.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
            .filter("application/problem+json"::equals)
            .isPresent();
        return problem && JsonFields.isTrue(body, "permanent");
    }

    /** The problem's {@code detail}, else its {@code title}; empty for a body that is not a JSON object with either. */
    private static Optional<String> problem(String body) {
        Map<String, String> fields = JsonFields.read(body);
        String text = fields.getOrDefault("detail", fields.getOrDefault("title", "")).strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** {@code 7.0 s}: waits, to the tenth. */
    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** Whole seconds, rounded up: what a {@code Retry-After} asked for, as it said it. */
    private static long wholeSeconds(Duration d) {
        return (d.toMillis() + 999) / 1000;
    }
}
