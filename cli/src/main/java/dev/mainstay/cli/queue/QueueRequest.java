package dev.mainstay.cli.queue;

import dev.mainstay.cli.command.Arguments;
import dev.mainstay.cli.command.Context;
import dev.mainstay.cli.command.ExitCode;
import dev.mainstay.cli.command.Option;
import dev.mainstay.cli.command.UsageException;
import dev.mainstay.cli.upload.Answers;
import dev.mainstay.cli.upload.Backoff;
import dev.mainstay.cli.upload.Destination;
import dev.mainstay.cli.upload.JsonFields;
import dev.mainstay.cli.upload.UploadClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One request of the {@code queue} commands to the appliance's API with a {@code queue:write} token:
 * the options they share, their checks of {@code --repo} and {@code --pr}, retries under one
 * idempotency key, and the sentence and exit code for each answer.
 */
final class QueueRequest {

    static final Option REPO = Option.one("repo", "OWNER/NAME", "the repository on GitHub, e.g. acme/web");
    static final Option PR = Option.one("pr", "N", "the pull request's number");
    static final Option URL = Option.one("url", "URL", "the appliance, e.g. https://mainstay.example.internal (or MAINSTAY_URL)");
    static final Option TOKEN = Option.one("token", "TOKEN", "an API token with queue:write; better: MAINSTAY_TOKEN, which no process list shows");
    static final Option RETRIES = Option.one("retries", "N", Destination.RETRIES_HELP);
    static final Option CA_CERT = Option.one("ca-cert", "FILE", "also trust the CA certificates in this PEM file (a private CA)");
    static final Option PROXY = Option.one("proxy", "HOST:PORT", "send through this HTTP proxy (else HTTPS_PROXY; NO_PROXY applies)");
    static final Option JSON = Option.toggle("json", "print the appliance's JSON answer instead of a sentence");

    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private QueueRequest() {
    }

    /** {@code --repo}, checked. */
    static String repo(Arguments arguments) throws UsageException {
        String repo = arguments.value("repo").orElseThrow(() -> new UsageException("--repo is required, e.g. --repo acme/web"));
        if (!REPOSITORY.matcher(repo).matches()) {
            throw new UsageException("--repo must be OWNER/NAME as on GitHub, e.g. acme/web, not '" + repo + "'");
        }
        return repo;
    }

    /** {@code --pr}, checked. */
    static String pr(Arguments arguments) throws UsageException {
        String pr = arguments.value("pr").orElseThrow(() -> new UsageException("--pr is required: the pull request's number"));
        if (!pr.matches("[1-9][0-9]{0,8}")) {
            throw new UsageException("--pr must be a pull request's number, e.g. 42, not '" + pr + "'");
        }
        return pr;
    }

    /**
     * Sends {@code body} (JSON; none when empty) with {@code method} to {@code path}; on
     * {@code expected}, prints {@code sentence} of the answer's fields (or the answer with
     * {@code --json}).
     *
     * @return the exit code
     */
    static int send(Context context, Arguments arguments, String method, String path, String body, int expected,
                    Function<Map<String, String>, String> sentence) throws UsageException {
        Destination destination = Destination.from(context, arguments, false, "the queue:write scope");
        URI uri = destination.api(path);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        UploadClient client = new UploadClient(context, destination.client(Duration.ofSeconds(30)), Backoff.DEFAULT, TIMEOUT,
            destination.retries());
        UploadClient.Outcome outcome;
        try {
            outcome = client.exchange(uri, destination.token(), method, "application/json", UUID.randomUUID().toString(), bytes.length,
                sent -> bytes.length > 0 ? HttpRequest.BodyPublishers.ofByteArray(bytes) : HttpRequest.BodyPublishers.noBody(),
                new Quiet(context));
        } catch (IOException e) {
            return Answers.fail(context, "could not send the request: " + e.getMessage(), ExitCode.UNREACHABLE).code();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answers.fail(context, "interrupted", ExitCode.UNREACHABLE).code();
        }
        if (!(outcome instanceof UploadClient.Answered answer)) {
            return Answers.unanswered(context, uri, outcome).code();
        }
        Map<String, String> fields = JsonFields.read(answer.body());
        int status = answer.status();
        if (status == expected) {
            context.out().println(arguments.has("json") ? answer.body() : sentence.apply(fields));
            return ExitCode.OK.code();
        }
        String detail = Answers.detail(answer, fields);
        if (status == 401 || status == 403) {
            return Answers.fail(context, "refused (" + status + "): " + detail, ExitCode.TOKEN_REFUSED).code();
        }
        if (status == 400 || status == 404 || status == 409 || status == 413 || status == 422) {
            return Answers.fail(context, "refused (" + status + "): " + detail, ExitCode.REFUSED).code();
        }
        return Answers.fail(context, "the appliance answered " + status + ": " + detail, ExitCode.UNREACHABLE).code();
    }

    /** Says so when a request is retried, or why it is not; one request has no progress worth showing. */
    private record Quiet(Context context) implements UploadClient.Progress {

        @Override
        public void started(int attempt, long total) {
        }

        @Override
        public void sent(long bytesSoFar) {
        }

        @Override
        public void finished() {
        }

        @Override
        public void retrying(String why, Duration wait, int nextAttempt, int attempts) {
            context.err().println(UploadClient.Progress.retryLine(why, wait, nextAttempt, attempts));
        }

        @Override
        public void notRetrying(String why) {
            context.err().println(UploadClient.Progress.notRetryingLine(why));
        }
    }
}
