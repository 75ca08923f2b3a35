package dev.mainstay.devservices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeycloakDistributionTest {

    @Test
    void the_pinned_version_comes_from_the_root_pom() {
        assertTrue(KeycloakDistribution.version().matches("\\d+\\.\\d+\\.\\d+"),
            "the filtered version file holds a release version: " + KeycloakDistribution.version());
    }

    @Test
    void the_build_points_tests_at_the_zip_maven_downloaded() {
        Path zip = KeycloakDistribution.locate();
        assertTrue(Files.isRegularFile(zip), "the surefire system property names an existing file: " + zip);
        assertTrue(zip.getFileName().toString().equals("keycloak-quarkus-dist-" + KeycloakDistribution.version() + ".zip"),
            "it is the pinned version: " + zip);
    }

    @Test
    void without_the_property_the_zip_is_looked_up_in_the_users_local_repository(@TempDir Path userHome) throws IOException {
        Path zip = userHome.resolve(".m2/repository/org/keycloak/keycloak-quarkus-dist/1.2.3/keycloak-quarkus-dist-1.2.3.zip");
        Files.createDirectories(zip.getParent());
        Files.write(zip, new byte[] {1});
        assertEquals(zip, KeycloakDistribution.locate(null, userHome, "1.2.3"));
    }

    @Test
    void a_missing_zip_is_reported_with_the_command_that_fetches_it(@TempDir Path userHome) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> KeycloakDistribution.locate(null, userHome, "1.2.3"));
        assertTrue(e.getMessage().contains("dependency:get -Dtransitive=false -Dartifact=org.keycloak:keycloak-quarkus-dist:1.2.3:zip"),
            e.getMessage());
        IllegalStateException named = assertThrows(IllegalStateException.class,
            () -> KeycloakDistribution.locate(userHome.resolve("nope.zip").toString(), userHome, "1.2.3"));
        assertTrue(named.getMessage().contains("-Dmainstay.keycloak.distribution") && named.getMessage().contains("nope.zip"),
            named.getMessage());
    }

    @Test
    void unpacking_strips_the_top_directory_makes_scripts_executable_and_happens_once(@TempDir Path temp) throws IOException {
        Path zip = temp.resolve("kc.zip");
        writeZip(zip, "keycloak-9.9.9/bin/kc.sh", "#!/bin/sh\necho first\n");
        Path home = temp.resolve("home");

        KeycloakDistribution.unpack(zip, home);
        assertTrue(Files.isExecutable(home.resolve("bin/kc.sh")), "kc.sh can be run");
        assertTrue(Files.exists(home.resolve(KeycloakDistribution.MARKER)), "a finished unpack is marked");

        writeZip(zip, "keycloak-9.9.9/bin/kc.sh", "#!/bin/sh\necho second\n");
        KeycloakDistribution.unpack(zip, home);
        assertTrue(Files.readString(home.resolve("bin/kc.sh")).contains("first"), "a marked home is reused, not unpacked again");
        try (var siblings = Files.list(temp)) {
            assertFalse(siblings.anyMatch(p -> p.getFileName().toString().contains(".unpacking-")), "no staging directory is left");
        }
    }

    @Test
    void a_zip_that_is_not_a_keycloak_distribution_leaves_no_home_behind(@TempDir Path temp) throws IOException {
        Path zip = temp.resolve("other.zip");
        writeZip(zip, "something/README", "hello");
        Path home = temp.resolve("home");
        assertThrows(java.io.UncheckedIOException.class, () -> KeycloakDistribution.unpack(zip, home));
        assertFalse(Files.exists(home), "a failed unpack never becomes a home");
    }

    @Test
    void a_directory_mainstay_did_not_unpack_is_not_taken_over(@TempDir Path temp) throws IOException {
        Path zip = temp.resolve("kc.zip");
        writeZip(zip, "keycloak-9.9.9/bin/kc.sh", "#!/bin/sh\n");
        Path home = Files.createDirectories(temp.resolve("someone-elses"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KeycloakDistribution.unpack(zip, home));
        assertTrue(e.getMessage().contains("not a distribution Mainstay unpacked"), e.getMessage());
    }

    private static void writeZip(Path zip, String name, String content) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry(name));
            z.write(content.getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
    }
}
