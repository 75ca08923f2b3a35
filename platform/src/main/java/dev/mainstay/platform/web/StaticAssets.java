package dev.mainstay.platform.web;

import dev.mainstay.platform.identity.Public;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The stylesheet, htmx, {@code times.js} (times in the reader's zone, see {@link Times}) and the
 * icon (also at {@link Favicon /favicon.ico}), served from the class path under
 * {@code /static/<hash>/}, where the hash covers their content: a new build gets a new path, so
 * browsers may cache each path for a year ({@code immutable}). htmx comes from its WebJar; there
 * is no Node toolchain in the build.
 */
@ApplicationScoped
@Path("/static/{version}/{file}")
public class StaticAssets {

    /** Where assets are served. */
    static final String BASE = "/static";

    private record Asset(String resource, String mediaType) {
    }

    private static final Map<String, Asset> ASSETS = Map.of(
        "mainstay.css", new Asset("/web/static/mainstay.css", "text/css; charset=utf-8"),
        "mainstay.js", new Asset("/web/static/mainstay.js", "text/javascript; charset=utf-8"),
        "times.js", new Asset("/web/static/times.js", "text/javascript; charset=utf-8"),
        "favicon.ico", new Asset("/web/static/favicon.ico", Favicon.MEDIA_TYPE),
        "htmx.min.js", new Asset("/META-INF/resources/webjars/htmx.org/" + htmxVersion() + "/dist/htmx.min.js",
            "text/javascript; charset=utf-8"));
    private static final Map<String, byte[]> CONTENT = load();

    /** The hash in asset paths. */
    static final String VERSION = hash();

    @GET
    @Public("stylesheet and script of the sign-in page itself")
    public Response asset(@PathParam("version") String version, @PathParam("file") String file) {
        Asset asset = ASSETS.get(file);
        if (asset == null || !VERSION.equals(version)) {
            return Response.status(Response.Status.NOT_FOUND).type("text/plain").entity("no such asset").build();
        }
        return Response.ok(CONTENT.get(file), asset.mediaType())
            .header("Cache-Control", "public, max-age=31536000, immutable")
            .build();
    }

    /** The bytes of asset {@code file}, one of those served here. */
    static byte[] content(String file) {
        byte[] bytes = CONTENT.get(file);
        if (bytes == null) {
            throw new IllegalArgumentException("no such asset: " + file);
        }
        return bytes;
    }

    private static Map<String, byte[]> load() {
        return ASSETS.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> read(e.getValue().resource())));
    }

    private static byte[] read(String resource) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from this Mainstay build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hash() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            CONTENT.keySet().stream().sorted().forEach(name -> digest.update(CONTENT.get(name)));
            return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    private static String htmxVersion() {
        try (InputStream in = StaticAssets.class.getResourceAsStream("/META-INF/maven/org.webjars.npm/htmx.org/pom.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in == null) {
                throw new IllegalStateException("the htmx WebJar is missing from this Mainstay build");
            }
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
