package dev.mainstay.devservices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Process chores for {@link KeycloakServer}: stopping a process tree politely then forcibly,
 * recognising a Keycloak left behind by a killed JVM, and reading the end of a log.
 */
final class KeycloakProcesses {

    private static final Logger LOG = Logger.getLogger(KeycloakProcesses.class.getName());

    private KeycloakProcesses() {
    }

    /**
     * Sends SIGTERM to {@code root} and its descendants, waits up to {@code timeout} for all of them,
     * then sends SIGKILL to the survivors.
     *
     * @return true when every process is gone
     */
    static boolean terminate(ProcessHandle root, Duration timeout) {
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.add(root);
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (tree.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(100));
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        long killDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (tree.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < killDeadline) {
            sleep(Duration.ofMillis(50));
        }
        return tree.stream().noneMatch(ProcessHandle::isAlive);
    }

    /**
     * A JVM killed with SIGKILL cannot stop its Keycloak child, which keeps running on the home and
     * its ports. If {@code pidFile} names a live process whose command line runs from {@code home},
     * stop it; a pid reused by an unrelated process is left alone.
     */
    static void stopLeftover(Path pidFile, Path home, Duration timeout) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<ProcessHandle> leftover = parsePid(Files.readString(pidFile)).flatMap(ProcessHandle::of)
            .filter(ProcessHandle::isAlive)
            .filter(p -> p.info().commandLine().map(line -> line.contains(home.toString())).orElse(false));
        if (leftover.isPresent()) {
            LOG.warning("Stopping Keycloak (pid " + leftover.get().pid() + ") left running in " + home
                + " by an earlier run that did not shut down.");
            if (!terminate(leftover.get(), timeout)) {
                throw new IllegalStateException("Could not stop the Keycloak (pid " + leftover.get().pid()
                    + ") left running in " + home);
            }
        }
        Files.delete(pidFile);
    }

    /** The last {@code lines} lines of {@code log}, or a note saying why there are none. */
    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unavailable: " + e + ")";
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Keycloak", e);
        }
    }

    private static Optional<Long> parsePid(String text) {
        try {
            return Optional.of(Long.parseLong(text.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
