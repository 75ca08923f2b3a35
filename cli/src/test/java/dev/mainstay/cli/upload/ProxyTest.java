package dev.mainstay.cli.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.cli.CliRun;
import dev.mainstay.cli.Corpus;
import dev.mainstay.cli.upload.RecordingServer.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads through an HTTPS proxy (a CONNECT tunnel), chosen by --proxy or HTTPS_PROXY, and NO_PROXY's exceptions. */
class ProxyTest {

    @TempDir
    Path dir;

    @BeforeEach
    void aReport() throws Exception {
        Files.copy(Corpus.file("junit/dorny/jest-junit.xml"), dir.resolve("TEST-a.xml"));
    }

    private CliRun run(String... env) {
        CliRun run = CliRun.in(dir).env("MAINSTAY_TOKEN", UploadHttpTest.TOKEN);
        for (int i = 0; i < env.length; i += 2) {
            run.env(env[i], env[i + 1]);
        }
        return run;
    }

    private static String[] upload(RecordingServer server, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("upload", "--url", server.url("localhost"), "--junit", "TEST-a.xml",
            "--repo", "acme/shop", "--commit", UploadHttpTest.SHA, "--ca-cert", PrivateCa.get().caPem().toString(), "--retries", "0"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void https_proxy_tunnels_the_upload_through_connect() throws Exception {
        try (RecordingServer server = RecordingServer.https(PrivateCa.get().serverTls()).answering(Answer.json(201, UploadHttpTest.CREATED));
             ConnectProxy proxy = new ConnectProxy()) {
            CliRun.Result r = run("HTTPS_PROXY", "http://127.0.0.1:" + proxy.port()).run(upload(server));
            assertEquals(0, r.code(), r.both());
            assertEquals(List.of("localhost:" + server.port()), proxy.targets(), "the proxy saw only where to connect");
            assertEquals(1, server.requests().size());
        }
    }

    @Test
    void the_proxy_flag_wins_over_the_environment_and_lower_case_variables_count() throws Exception {
        try (RecordingServer server = RecordingServer.https(PrivateCa.get().serverTls()).answering(Answer.json(201, UploadHttpTest.CREATED));
             ConnectProxy proxy = new ConnectProxy()) {
            CliRun.Result r = run("https_proxy", "127.0.0.1:1").run(upload(server, "--proxy", "127.0.0.1:" + proxy.port()));
            assertEquals(0, r.code(), r.both());
            assertEquals(1, proxy.targets().size());
        }
    }

    @Test
    void no_proxy_sends_listed_hosts_directly() throws Exception {
        try (RecordingServer server = RecordingServer.https(PrivateCa.get().serverTls()).answering(Answer.json(201, UploadHttpTest.CREATED));
             ConnectProxy proxy = new ConnectProxy()) {
            CliRun.Result r = run("HTTPS_PROXY", "127.0.0.1:" + proxy.port(), "NO_PROXY", "example.com,localhost").run(upload(server));
            assertEquals(0, r.code(), r.both());
            assertEquals(List.of(), proxy.targets());
            assertEquals(1, server.requests().size());
        }
    }

    @Test
    void no_proxy_matches_hosts_domains_and_everything() {
        assertTrue(Proxies.bypassed("localhost,.internal.example", "mainstay.internal.example"));
        assertTrue(Proxies.bypassed("internal.example", "mainstay.internal.example"));
        assertTrue(Proxies.bypassed("internal.example", "internal.example"));
        assertTrue(Proxies.bypassed("*", "anything.example"));
        assertTrue(Proxies.bypassed(" 10.0.0.5:8443 ", "10.0.0.5"));
        assertFalse(Proxies.bypassed("internal.example", "notinternal.example"));
        assertFalse(Proxies.bypassed("", "mainstay.internal.example"));
    }

    @Test
    void a_proxy_that_is_not_host_and_port_is_a_usage_error() {
        CliRun.Result r = CliRun.in(dir).env("MAINSTAY_TOKEN", UploadHttpTest.TOKEN)
            .run("upload", "--url", "https://mainstay.example", "--junit", "TEST-a.xml", "--proxy", "proxy.example");
        assertEquals(2, r.code(), r.both());
        assertEquals("mainstay: --proxy must be host:port (e.g. proxy.internal:3128), not 'proxy.example'\n"
            + "mainstay: see 'mainstay help upload'\n", r.err());
    }
}
