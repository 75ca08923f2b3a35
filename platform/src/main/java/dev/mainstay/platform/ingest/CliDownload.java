package dev.mainstay.platform.ingest;

import dev.mainstay.platform.identity.Public;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code GET /downloads/mainstay-cli.jar}: the CLI this appliance was built with, for CI runners
 * that cannot reach the internet. The build puts the jar on the class path; its SHA-256 is sent
 * alongside so a runner can check what it fetched.
 */
@ApplicationScoped
@Path("/downloads/mainstay-cli.jar")
public class CliDownload {

    /** Where the build puts the CLI jar on the class path. */
    static final String RESOURCE = "/downloads/mainstay-cli.jar";

    private static final byte[] JAR = load();
    private static final String SHA256 = JAR.length == 0 ? "" : sha256(JAR);

    @GET
    @Public("the CLI is the same public program for every caller and holds no data; runners fetch it before they have a token at hand")
    public Response download() {
        if (JAR.length == 0) {
            return Response.status(Response.Status.NOT_FOUND).type("text/plain")
                .entity("this Mainstay build carries no CLI jar; build it with ./mvnw -pl platform -am package").build();
        }
        return Response.ok(JAR, "application/java-archive")
            .header("Content-Disposition", "attachment; filename=\"mainstay-cli.jar\"")
            .header("X-Checksum-SHA256", SHA256)
            .header("ETag", "\"" + SHA256 + "\"")
            .header("Cache-Control", "public, max-age=3600")
            .build();
    }

    private static byte[] load() {
        try (InputStream in = CliDownload.class.getResourceAsStream(RESOURCE)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
