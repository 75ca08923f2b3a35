package dev.mainstay.reports.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.reports.Corpus;
import dev.mainstay.reports.ReportException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private static final byte[] METADATA = ("{\"version\": 1, \"repo\": \"acme/shop\", \"commit\": \"" + SHA + "\"}")
        .getBytes(StandardCharsets.UTF_8);

    @Test
    void a_written_bundle_reads_back_with_its_metadata_files_and_referenced_files() throws Exception {
        UploadMetadata metadata = new UploadMetadata("acme/shop", SHA.toUpperCase(), "main", OptionalInt.of(42), "github-actions",
            "unit", "123", "https://ci.acme.example/jobs/123", "77", OptionalInt.of(2), "linux",
            Optional.of(Instant.parse("2026-11-22T09:00:00Z")), Optional.of(Instant.parse("2026-11-22T09:30:00Z")));
        String longName = "build/" + "very-long-directory-name/".repeat(8) + "TEST-dev.mainstay.SomeRatherLongTestName.xml";
        byte[] junit = Files.readAllBytes(Corpus.file("junit/dorny/jest-junit.xml"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (BundleWriter writer = new BundleWriter(bytes, metadata)) {
            writer.add("referenced/home/runner/bazel-testlogs/a/test.xml", "<testsuites/>".getBytes(StandardCharsets.UTF_8));
            writer.add(longName, junit.length, new ByteArrayInputStream(junit));
            writer.add("empty.xml", new byte[0]);
        }

        try (BundleReader reader = new BundleReader(new ByteArrayInputStream(bytes.toByteArray()), BundleLimits.DEFAULT)) {
            assertEquals(metadata, reader.metadata(), "the metadata survives the round trip, commit in lowercase");
            Map<String, byte[]> files = rest(reader);
            assertEquals(List.of(longName, "empty.xml"), List.copyOf(files.keySet()), "report files, in order, referenced ones apart");
            assertArrayEquals(junit, files.get(longName));
            try (InputStream in = reader.referencedFiles().open(URI.create("file:///home/runner/bazel-testlogs/a/test.xml")).orElseThrow()) {
                assertEquals("<testsuites/>", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            assertEquals(Optional.empty(), reader.referencedFiles().open(URI.create("file:///etc/passwd")),
                "only files that came in the bundle are answered");
            assertEquals(4, reader.files());
        }
    }

    @Test
    void the_same_files_make_the_same_bytes() throws Exception {
        assertArrayEquals(bundle(Map.of("a.xml", "<a/>")), bundle(Map.of("a.xml", "<a/>")), "a bundle's hash can be its idempotency key");
    }

    @Test
    void bundles_made_by_gnu_tar_are_read_in_every_format_it_writes(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("mainstay.json"), METADATA);
        Path deep = Files.createDirectories(dir.resolve("build/" + "nested-directory-for-a-long-path/".repeat(5) + "reports"));
        Files.writeString(deep.resolve("TEST-a.xml"), "<testsuite name=\"a\"><testcase name=\"t\"/></testsuite>");
        for (String format : List.of("gnu", "pax", "ustar", "oldgnu")) {
            Path archive = dir.resolve(format + ".tgz");
            Process tar = new ProcessBuilder("tar", "--format=" + format, "-czf", archive.toString(), "-C", dir.toString(),
                "mainstay.json", "build").redirectErrorStream(true).start();
            String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(tar.waitFor(30, TimeUnit.SECONDS));
            if (tar.exitValue() != 0) {
                // ustar cannot hold a name this long; tar says so, and the other formats cover it.
                assertTrue(format.equals("ustar") && output.contains("name is too long"), format + ": " + output);
                continue;
            }
            try (BundleReader reader = new BundleReader(Files.newInputStream(archive), BundleLimits.DEFAULT)) {
                assertEquals("acme/shop", reader.metadata().repo(), format);
                Map<String, byte[]> files = rest(reader);
                assertEquals(List.of(dir.relativize(deep.resolve("TEST-a.xml")).toString()), List.copyOf(files.keySet()), format);
            }
        }
    }

    @Test
    void a_body_that_is_not_gzip_is_malformed() {
        BundleException e = assertThrows(BundleException.class,
            () -> new BundleReader(new ByteArrayInputStream("<testsuite/>".getBytes(StandardCharsets.UTF_8)), BundleLimits.DEFAULT));
        assertEquals(BundleException.Kind.MALFORMED, e.kind());
        assertEquals("the body is not gzip-compressed; send a .tar.gz (e.g. tar czf bundle.tgz mainstay.json reports/)", e.getMessage());
    }

    @Test
    void gzip_that_is_not_a_tar_archive_is_malformed() throws Exception {
        BundleException e = assertThrows(BundleException.class, () -> metadataOf(gzip("{\"version\":1}".repeat(100).getBytes())));
        assertEquals(BundleException.Kind.MALFORMED, e.kind());
        assertEquals("not a tar archive: a header's checksum does not match (after 0 files)", e.getMessage());
    }

    @Test
    void the_metadata_must_come_first() throws Exception {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (BundleWriter writer = new BundleWriter(tar, UploadMetadata.of("acme/shop", SHA))) {
            writer.add("x.xml", new byte[1]);
        }
        byte[] raw = gunzip(tar.toByteArray());
        // Drop the first entry (header + one block of JSON): the report is now first.
        byte[] withoutMetadata = java.util.Arrays.copyOfRange(raw, 1024, raw.length);
        BundleException e = assertThrows(BundleException.class, () -> metadataOf(gzip(withoutMetadata)));
        assertEquals(BundleException.Kind.INVALID, e.kind());
        assertEquals("the bundle's first file must be mainstay.json, not x.xml (put it first: tar czf bundle.tgz mainstay.json reports/)",
            e.getMessage());
    }

    @Test
    void links_are_refused(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("mainstay.json"), METADATA);
        Files.createSymbolicLink(dir.resolve("passwd.xml"), Path.of("/etc/passwd"));
        Path archive = dir.resolve("b.tgz");
        Process tar = new ProcessBuilder("tar", "-czf", archive.toString(), "-C", dir.toString(), "mainstay.json", "passwd.xml")
            .redirectErrorStream(true).start();
        tar.getInputStream().readAllBytes();
        assertEquals(0, tar.waitFor());
        try (BundleReader reader = new BundleReader(Files.newInputStream(archive), BundleLimits.DEFAULT)) {
            reader.metadata();
            BundleException e = assertThrows(BundleException.class, reader::nextReport);
            assertEquals(BundleException.Kind.INVALID, e.kind());
            assertEquals("passwd.xml is a link; a bundle holds regular files only (tar's --dereference copies what links point to)",
                e.getMessage());
        }
    }

    @Test
    void a_file_declared_larger_than_the_limit_is_refused_before_it_is_read() throws Exception {
        // A gzip bomb: the header declares 2 GiB; only the header is ever read.
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (BundleWriter writer = new BundleWriter(tar, UploadMetadata.of("acme/shop", SHA))) {
            writer.add("bomb.xml", new byte[0]);
        }
        byte[] raw = gunzip(tar.toByteArray());
        byte[] header = java.util.Arrays.copyOfRange(raw, 1024, 1536);
        System.arraycopy(String.format("%011o", 2L << 30).getBytes(StandardCharsets.US_ASCII), 0, header, 124, 11);
        fixChecksum(header);
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        bomb.write(raw, 0, 1024);
        bomb.write(header);
        bomb.write(new byte[1 << 20]);
        try (BundleReader reader = new BundleReader(new ByteArrayInputStream(gzip(bomb.toByteArray())), BundleLimits.DEFAULT)) {
            reader.metadata();
            BundleException e = assertThrows(BundleException.class, reader::nextReport);
            assertEquals(BundleException.Kind.TOO_LARGE, e.kind());
            assertEquals("bomb.xml is 2147483648 bytes, more than the limit of 536870912 bytes per file", e.getMessage());
            assertTrue(reader.bytesRead() < 4096, "nothing after the header was read: " + reader.bytesRead());
        }
    }

    @Test
    void an_archive_that_expands_past_the_bundle_limit_is_refused() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            files.put("f" + i + ".xml", "x".repeat(1000));
        }
        BundleLimits limits = new BundleLimits(4096, 100, 2000, 0);
        try (BundleReader reader = new BundleReader(new ByteArrayInputStream(bundle(files)), limits)) {
            reader.metadata();
            BundleException e = assertThrows(BundleException.class, () -> rest(reader));
            assertEquals(BundleException.Kind.TOO_LARGE, e.kind());
            assertTrue(e.getMessage().startsWith("the bundle expands to more than the limit of 4096 bytes"), e.getMessage());
        }
        try (BundleReader reader = new BundleReader(new ByteArrayInputStream(bundle(files)), new BundleLimits(1 << 20, 3, 2000, 0))) {
            reader.metadata();
            BundleException e = assertThrows(BundleException.class, () -> rest(reader));
            assertEquals("the bundle holds more than the limit of 3 files", e.getMessage());
        }
    }

    @Test
    void a_truncated_bundle_is_malformed_and_says_so_even_when_a_parser_read_the_failure() throws Exception {
        java.util.Random random = new java.util.Random(7);
        StringBuilder noise = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            noise.append((char) ('a' + random.nextInt(26)));
        }
        byte[] whole = bundle(Map.of("a.xml", noise.toString()));
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length / 2);
        try (BundleReader reader = new BundleReader(new ByteArrayInputStream(cut), BundleLimits.DEFAULT)) {
            reader.metadata();
            BundleReader.Entry entry = reader.nextReport().orElseThrow();
            assertThrows(IOException.class, () -> entry.content().readAllBytes());
            assertEquals(BundleException.Kind.MALFORMED, reader.failure().orElseThrow().kind());
            assertTrue(reader.failure().get().getMessage().contains("truncated") || reader.failure().get().getMessage().contains("ends early"),
                reader.failure().get().getMessage());
        }
    }

    @Test
    void metadata_problems_name_the_field() {
        assertEquals("mainstay.json: \"repo\" is required", metadataProblem("{\"version\":1,\"commit\":\"" + SHA + "\"}"));
        assertEquals("mainstay.json: \"version\": 1 is required", metadataProblem("{\"repo\":\"a/b\",\"commit\":\"" + SHA + "\"}"));
        assertEquals("mainstay.json: version 2 is not known to this appliance; it reads version 1",
            metadataProblem("{\"version\":2,\"repo\":\"a/b\",\"commit\":\"" + SHA + "\"}"));
        assertEquals("mainstay.json: commit must be a full SHA of 40 or 64 hex digits, not 'abc123'",
            metadataProblem("{\"version\":1,\"repo\":\"a/b\",\"commit\":\"abc123\"}"));
        assertEquals("mainstay.json: job_url must be an http or https URL, not 'javascript:alert(1)'",
            metadataProblem("{\"version\":1,\"repo\":\"a/b\",\"commit\":\"" + SHA + "\",\"job_url\":\"javascript:alert(1)\"}"));
        assertEquals("mainstay.json:1: \"pull_request\" must be a whole number",
            metadataProblem("{\"version\":1,\"repo\":\"a/b\",\"commit\":\"" + SHA + "\",\"pull_request\":\"twelve\"}"));
        assertEquals("mainstay.json:1: \"started_at\" must be a time like 2026-11-22T09:30:00Z, not 'yesterday'",
            metadataProblem("{\"version\":1,\"repo\":\"a/b\",\"commit\":\"" + SHA + "\",\"started_at\":\"yesterday\"}"));
        assertEquals("mainstay.json:1: must be a JSON object", metadataProblem("[1]"));
        assertTrue(metadataProblem("{\"version\":1,").startsWith("mainstay.json:1: not valid JSON"));
    }

    @Test
    void unknown_and_null_metadata_fields_are_ignored() throws Exception {
        UploadMetadata m = UploadMetadata.read(new ByteArrayInputStream(("{\"version\":1,\"repo\":\"group/sub/app\",\"commit\":\"" + SHA
            + "\",\"branch\":null,\"pull_request\":\"17\",\"from_the_future\":{\"x\":[1,2]}}").getBytes(StandardCharsets.UTF_8)));
        assertEquals("group/sub/app", m.repo());
        assertEquals("", m.branch());
        assertEquals(OptionalInt.of(17), m.pullRequest(), "numbers written as strings (shell variables) are accepted");
    }

    private static String metadataProblem(String json) {
        return assertThrows(ReportException.class,
            () -> UploadMetadata.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))).getMessage();
    }

    private static UploadMetadata metadataOf(byte[] gzipped) throws Exception {
        try (BundleReader reader = new BundleReader(new ByteArrayInputStream(gzipped), BundleLimits.DEFAULT)) {
            return reader.metadata();
        }
    }

    private static Map<String, byte[]> rest(BundleReader reader) throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Optional<BundleReader.Entry> e = reader.nextReport(); e.isPresent(); e = reader.nextReport()) {
            files.put(e.get().name(), e.get().content().readAllBytes());
        }
        return files;
    }

    private static byte[] bundle(Map<String, String> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BundleWriter writer = new BundleWriter(out, UploadMetadata.of("acme/shop", SHA))) {
            List<String> names = new ArrayList<>(files.keySet());
            for (String name : names) {
                writer.add(name, files.get(name).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] gzipped) throws IOException {
        try (InputStream in = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return in.readAllBytes();
        }
    }

    private static void fixChecksum(byte[] header) {
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        System.arraycopy(String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII), 0, header, 148, 6);
        header[154] = 0;
    }
}
