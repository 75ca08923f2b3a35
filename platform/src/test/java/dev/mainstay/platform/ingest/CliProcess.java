package dev.mainstay.platform.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.platform.identity.SignedInAppliance;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The CLI as a CI runner has it: fetched from the appliance, run in its own JVM with a clean environment. */
public final class CliProcess {

    /** How a CLI run ended: its exit code and everything it printed. */
    public record Run(int exit, String output) {
    }

    private final Path jar;
    private final String checksum;

    private CliProcess(Path jar, String checksum) {
        this.jar = jar;
        this.checksum = checksum;
    }

    /** Downloads the CLI jar from {@code appliance} into {@code dir}. */
    public static CliProcess download(SignedInAppliance appliance, Path dir) throws Exception {
        HttpResponse<byte[]> download = appliance.http().send(HttpRequest.newBuilder(URI.create(appliance.url("/downloads/mainstay-cli.jar")))
            .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, download.statusCode(), "the CLI is downloadable without a sign-in");
        return new CliProcess(Files.write(dir.resolve("mainstay-cli.jar"), download.body()),
            download.headers().firstValue("X-Checksum-SHA256").orElse(""));
    }

    /** The jar. */
    public Path jar() {
        return jar;
    }

    /** The SHA-256 the appliance sent with it ({@code X-Checksum-SHA256}). */
    public String checksum() {
        return checksum;
    }

    /** Runs the jar in {@code workingDir} with only PATH, HOME and {@code MAINSTAY_TOKEN} set. */
    public Run run(Path workingDir, String token, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", workingDir.toString());
        env.put("MAINSTAY_TOKEN", token);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the CLI finished: " + output);
        return new Run(process.exitValue(), output);
    }
}
