package dev.mainstay.platform.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.platform.identity.SignedInAppliance;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Regression: browsers asked for {@code /favicon.ico} on every page and got a 404, which filled the
 * log and left tabs and bookmarks without an icon. It is served to anyone, cacheable, and pages
 * name it under the versioned asset path too.
 */
class FaviconTest {

    private final SignedInAppliance appliance = SignedInAppliance.shared();

    @Test
    void favicon_ico_is_an_icon_anyone_may_fetch_and_cache() throws Exception {
        HttpResponse<byte[]> icon = get("/favicon.ico");

        assertEquals(200, icon.statusCode(), "served without signing in");
        assertEquals("image/x-icon", icon.headers().firstValue("Content-Type").orElse(""));
        assertEquals("public, max-age=86400", icon.headers().firstValue("Cache-Control").orElse(""),
            "shared caches may keep it a day");
        assertArrayEquals(new byte[] {0, 0, 1, 0, 1, 0}, Arrays.copyOf(icon.body(), 6), "an ICO file holding one image");
        assertTrue(icon.body().length < 4096, "small: " + icon.body().length + " bytes");

        String home = new String(get("/").body(), java.nio.charset.StandardCharsets.UTF_8);
        Matcher link = Pattern.compile("<link rel=\"icon\" href=\"(/static/[0-9a-f]+/favicon.ico)\">").matcher(home);
        assertTrue(link.find(), "the sign-in page names its icon: " + home);
        HttpResponse<byte[]> versioned = get(link.group(1));
        assertEquals(200, versioned.statusCode());
        assertEquals("public, max-age=31536000, immutable", versioned.headers().firstValue("Cache-Control").orElse(""),
            "under the versioned path, cached for a year like the other assets");
        assertArrayEquals(icon.body(), versioned.body(), "the same icon");
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return appliance.http().send(HttpRequest.newBuilder(URI.create(appliance.url(path))).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    }
}
