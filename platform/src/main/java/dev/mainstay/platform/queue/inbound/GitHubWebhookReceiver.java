package dev.mainstay.platform.queue.inbound;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.mainstay.platform.auditing.Audited;
import dev.mainstay.platform.identity.Problems;
import dev.mainstay.platform.identity.Public;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code POST /webhooks/github}: where the GitHub App's webhook deliveries arrive. The
 * {@code X-Hub-Signature-256} HMAC-SHA256 of the body under the webhook secret is checked in
 * constant time before the body is looked at; an unsigned, wrongly signed or oversized delivery is
 * refused and stores nothing. A signed one is stored in the inbox (encrypted) before the answer:
 * 202 when new, 200 when its delivery id or its very body was stored already (a redelivery or a
 * replay), which changes nothing.
 */
@RequestScoped
@Path("/webhooks/github")
public class GitHubWebhookReceiver {

    private static final Pattern EVENT = Pattern.compile("[a-z_]{1,64}");
    private static final Pattern DELIVERY = Pattern.compile("[A-Za-z0-9-]{1,100}");
    private static final JsonFactory JSON = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build();

    private final GitHubWebhookSettings settings;
    private final GitHubInbox inbox;
    private final GitHubIntake intake;
    private final GitHubSignature signatures;
    private final Clock clock;

    @Inject
    GitHubWebhookReceiver(GitHubWebhookSettings settings, GitHubInbox inbox, GitHubSignature signatures, GitHubIntake intake,
                          Clock clock) {
        this.intake = intake;
        this.settings = settings;
        this.inbox = inbox;
        this.signatures = signatures;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Public("GitHub delivers here; every delivery's HMAC-SHA256 signature under the App's webhook secret is checked in constant time"
        + " before anything is read or stored")
    @Audited("github.webhook.receive")
    public Response receive(@HeaderParam("X-Hub-Signature-256") String signature, @HeaderParam("X-GitHub-Event") String event,
                            @HeaderParam("X-GitHub-Delivery") String delivery, InputStream body) {
        if (settings.secret().isEmpty()) {
            return Problems.problem(Response.Status.SERVICE_UNAVAILABLE, "GitHub integration not configured",
                "set " + GitHubWebhookSettings.SECRET + " to the GitHub App's webhook secret");
        }
        if (event == null || !EVENT.matcher(event).matches() || delivery == null || !DELIVERY.matcher(delivery).matches()) {
            return Problems.problem(Response.Status.BAD_REQUEST, "Not a GitHub delivery",
                "X-GitHub-Event and X-GitHub-Delivery headers are required");
        }
        byte[] bytes;
        try {
            bytes = body.readNBytes((int) settings.maxBytes() + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a GitHub delivery failed", e);
        }
        if (bytes.length > settings.maxBytes()) {
            return Problems.problem(Response.Status.REQUEST_ENTITY_TOO_LARGE, "Delivery too large",
                "the body is larger than " + settings.maxBytes() + " bytes (" + GitHubWebhookSettings.MAX_BYTES + ")");
        }
        if (!signatures.matches(settings.secret().get(), bytes, signature)) {
            inbox.refused(delivery, event, signature == null ? "unsigned" : "signature does not match");
            return Problems.problem(Response.Status.UNAUTHORIZED, "Signature refused",
                "X-Hub-Signature-256 must be the HMAC-SHA256 of the body under the webhook secret");
        }
        GitHubInbox.Delivery parsed;
        try {
            parsed = parse(delivery, event, bytes);
        } catch (IllegalArgumentException e) {
            return Problems.problem(Response.Status.BAD_REQUEST, "Not a GitHub event", e.getMessage());
        }
        GitHubInbox.Stored stored = inbox.store(parsed, clock.instant());
        if (stored == GitHubInbox.Stored.STORED) {
            intake.wake();
        }
        return Response.status(stored == GitHubInbox.Stored.STORED ? Response.Status.ACCEPTED : Response.Status.OK)
            .entity(Map.of("delivery", delivery, "status", stored == GitHubInbox.Stored.STORED ? "queued" : "duplicate")).build();
    }

    /**
     * The fields the queue worker selects by, read from the top level of the payload: {@code action},
     * {@code installation.id} and {@code repository.full_name}.
     *
     * @throws IllegalArgumentException when the body is not one JSON object
     */
    static GitHubInbox.Delivery parse(String delivery, String event, byte[] body) {
        String action = "";
        Long installation = null;
        String repo = "";
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("the body must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("action") && value == JsonToken.VALUE_STRING) {
                    action = limit(p.getText());
                } else if ((name.equals("installation") || name.equals("repository")) && value == JsonToken.START_OBJECT) {
                    String wanted = name.equals("installation") ? "id" : "full_name";
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        JsonToken v = p.nextToken();
                        if (field.equals(wanted) && name.equals("installation") && v == JsonToken.VALUE_NUMBER_INT) {
                            installation = p.getLongValue();
                        } else if (field.equals(wanted) && v == JsonToken.VALUE_STRING) {
                            repo = limit(p.getText());
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IllegalArgumentException("the body must be one JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new GitHubInbox.Delivery(delivery, event, action, installation, repo, body);
    }

    private static String limit(String text) {
        return text.length() > 200 ? text.substring(0, 200) : text;
    }
}
