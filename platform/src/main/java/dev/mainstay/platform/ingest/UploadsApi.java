package dev.mainstay.platform.ingest;

import dev.mainstay.platform.auditing.Audited;
import dev.mainstay.platform.identity.Caller;
import dev.mainstay.platform.identity.Problems;
import dev.mainstay.platform.identity.RequestIdentity;
import dev.mainstay.platform.identity.Requires;
import dev.mainstay.platform.web.Failures;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/** {@code POST /api/v1/uploads}: a CI job's test results, as docs/uploads.md describes. */
@RequestScoped
@Path("/api/v1/uploads")
public class UploadsApi {

    private static final Logger LOG = Logger.getLogger(UploadsApi.class.getName());
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");

    private final Uploads uploads;
    private final ExecutionPartitions partitions;
    private final UploadSettings settings;
    private final RequestIdentity identity;
    private final TransactionManager transactions;
    private final Clock clock;
    private final Failures failures;

    @Inject
    UploadsApi(Uploads uploads, ExecutionPartitions partitions, UploadSettings settings, RequestIdentity identity,
               TransactionManager transactions, Clock clock, Failures failures) {
        this.failures = failures;
        this.uploads = uploads;
        this.partitions = partitions;
        this.settings = settings;
        this.identity = identity;
        this.transactions = transactions;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Requires("uploads:write")
    @Audited("upload.create")
    public Response upload(@HeaderParam("Idempotency-Key") String key, @HeaderParam("Content-Length") String contentLength,
                           InputStream body) {
        if (!(identity.caller().orElseThrow() instanceof Caller.Machine token)) {
            return Problems.problem(Response.Status.FORBIDDEN, "Tokens only",
                "uploads come from CI with an org API token that has the uploads:write scope, not from a browser session");
        }
        // Microseconds: what PostgreSQL keeps, so a replay answers the same time as the first answer.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        UploadRefused early = check(key, contentLength);
        if (early != null) {
            return refuse(token, now, early);
        }
        partitions.ensure(Uploads.day(now));
        try {
            transactions.setTransactionTimeout((int) settings.transactionTimeout().toSeconds());
            Uploads.Stored stored = uploads.receive(token, key.strip(), now, body);
            Response.ResponseBuilder answer = stored.replayed() ? Response.ok() : Response.status(Response.Status.CREATED);
            if (stored.replayed()) {
                answer.header("Idempotent-Replayed", "true");
            }
            return answer.entity(stored.receipt()).build();
        } catch (UploadRefused refused) {
            return refuse(token, now, refused);
        } catch (UncheckedIOException stopped) {
            return refuse(token, now, new UploadRefused(400, "Upload stopped", "the body could not be read to its end: "
                + stopped.getCause().getMessage()));
        } catch (SystemException e) {
            throw new IllegalStateException("cannot set the upload's transaction timeout", e);
        } catch (Uploads.StoreFailed failed) {
            // Rolled back: nothing of it was kept. It still shows on the Uploads page, and in the log and the trail by request id.
            String requestId = failures.record("POST", "/api/v1/uploads", failed.getCause());
            UploadRefused refusal = new UploadRefused(500, "Upload failed", "Mainstay failed to store this upload and kept nothing of it;"
                + " request id " + requestId + " is in its log");
            record(token, now, failed.metadata().map(refusal::about).orElse(refusal));
            return Failures.problem(requestId);
        } finally {
            resetTimeout();
        }
    }

    private UploadRefused check(String key, String contentLength) {
        if (key == null || key.isBlank()) {
            return new UploadRefused(400, "Idempotency-Key required", "send an Idempotency-Key header, e.g. the SHA-256 of the bundle,"
                + " so that a retried upload is stored once");
        }
        if (!KEY.matcher(key.strip()).matches()) {
            return new UploadRefused(400, "Invalid Idempotency-Key", "the Idempotency-Key must be 1 to 200 visible ASCII characters");
        }
        if (contentLength != null && contentLength.strip().matches("[0-9]{1,18}") && Long.parseLong(contentLength.strip()) > settings.maxBodyBytes()) {
            return new UploadRefused(413, "Too large", "the body is " + contentLength.strip() + " bytes, larger than the limit of "
                + settings.maxBodyBytes() + " bytes (" + UploadSettings.MAX_BODY_BYTES + ")");
        }
        return null;
    }

    private Response refuse(Caller.Machine token, Instant now, UploadRefused refused) {
        record(token, now, refused);
        Map<String, Object> where = new LinkedHashMap<>();
        refused.file().ifPresent(f -> where.put("file", f));
        refused.line().ifPresent(l -> where.put("line", l));
        return Problems.problem(refused.status(), refused.title(), refused.detail(), where);
    }

    /** Records the refusal for the Uploads page and the audit trail; a failure to do so is logged, and the answer still goes out. */
    private void record(Caller.Machine token, Instant now, UploadRefused refused) {
        try {
            uploads.refused(token, now, refused);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not record a refused upload of " + token.org(), e);
        }
    }

    private void resetTimeout() {
        try {
            transactions.setTransactionTimeout(0);
        } catch (SystemException e) {
            LOG.log(Level.WARNING, "could not reset the transaction timeout", e);
        }
    }
}
