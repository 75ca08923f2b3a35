package dev.mainstay.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real SoftHSM2 token for PKCS#11 tests: {@code @ExtendWith(SoftHsm.class)} and a
 * {@link SoftHsmToken} parameter give each test a fresh, initialised token of its own, deleted
 * after the test.
 *
 * <p>SoftHSM reads its configuration file, named by the environment variable
 * {@value #CONF_ENV}, when a process loads the library, and sees only the tokens that exist at
 * that moment. A JVM cannot change its own environment, so the build sets {@value #CONF_ENV} for
 * test JVMs (surefire's {@code environmentVariables}, to {@code target/softhsm/softhsm2.conf});
 * this class writes that file, naming one token directory per module, and makes tokens there with
 * {@code softhsm2-util}. Each SunPKCS11 configuration a {@link SoftHsmToken} hands out names a
 * fresh copy of the library, which the JVM loads as a separate SoftHSM instance that reads the
 * token directory anew: loading one is what a restart of the appliance would see, login state
 * included.
 *
 * <p>Without SoftHSM2 installed the tests fail, and say to run {@code apt-get install softhsm2}.
 */
public final class SoftHsm implements ParameterResolver, AfterEachCallback {

    /** Debian's SoftHSM2 PKCS#11 library (package softhsm2). */
    public static final String LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
    /** The environment variable through which SoftHSM finds its configuration file. */
    public static final String CONF_ENV = "SOFTHSM2_CONF";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SoftHsm.class);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Pattern SLOT = Pattern.compile("reassigned to slot (\\d+)");
    private static Path conf;

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SoftHsmToken.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(SoftHsmToken.class, k -> newToken(), SoftHsmToken.class);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        SoftHsmToken token = context.getStore(NAMESPACE).remove(SoftHsmToken.class, SoftHsmToken.class);
        if (token != null) {
            token.close();
        }
    }

    /**
     * A new token with a label of its own, initialised with random SO and user PINs and holding no
     * objects; the caller closes it.
     *
     * @throws IllegalStateException when SoftHSM2 is not installed or {@value #CONF_ENV} is not set
     */
    public static SoftHsmToken newToken() {
        Path dir = conf().getParent();
        String label = "mainstay-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        String pin = "user-" + randomHex();
        String output = softhsm2Util("--init-token", "--free", "--label", label, "--so-pin", "so-" + randomHex(), "--pin", pin);
        Matcher slot = SLOT.matcher(output);
        if (!slot.find()) {
            throw new IllegalStateException("softhsm2-util did not say which slot token " + label + " is in:\n" + output);
        }
        try {
            return new SoftHsmToken(label, pin, Long.parseLong(slot.group(1)), Files.createDirectories(dir.resolve(label)));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the directory of token " + label + " under " + dir, e);
        }
    }

    /** A fresh copy of the library in {@code dir}: the JVM loads it as a SoftHSM instance of its own. */
    static Path copyLibrary(Path dir, String name) {
        try {
            return Files.copy(Path.of(LIBRARY), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not copy " + LIBRARY + " to " + dir, e);
        }
    }

    /** Runs {@code softhsm2-util} on this JVM's token directory; its output, or an exception naming the exit code. */
    static String softhsm2Util(String... args) {
        List<String> command = new ArrayList<>(List.of("softhsm2-util"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put(CONF_ENV, conf().toString());
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("softhsm2-util " + args[0] + " did not finish in 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("softhsm2-util " + args[0] + " exited with " + process.exitValue() + ":\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(notInstalled("softhsm2-util cannot be run (" + e.getMessage() + ")"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while softhsm2-util " + args[0] + " ran", e);
        }
    }

    /** The file {@value #CONF_ENV} names, written, with the token directory it names made beside it. */
    private static synchronized Path conf() {
        if (conf != null) {
            return conf;
        }
        if (!Files.isReadable(Path.of(LIBRARY))) {
            throw new IllegalStateException(notInstalled("there is no " + LIBRARY));
        }
        String env = System.getenv(CONF_ENV);
        if (env == null || env.isBlank()) {
            throw new IllegalStateException(CONF_ENV + " is not set for this JVM. SoftHSM reads it when the JVM loads the"
                + " library, so it must be set before the test JVM starts: the Maven build sets it for surefire to"
                + " target/softhsm/softhsm2.conf; in an IDE, set " + CONF_ENV + "=<module>/target/softhsm/softhsm2.conf"
                + " in the run configuration");
        }
        Path file = Path.of(env).toAbsolutePath();
        Path dir = file.getParent();
        String text = "# Written by Mainstay's testkit (SoftHsm): the token directory of this module's tests.\n"
            + "directories.tokendir = " + dir.resolve("tokens") + "\n"
            + "objectstore.backend = file\n"
            + "log.level = ERROR\n"
            + "slots.removable = false\n";
        try {
            Files.createDirectories(dir.resolve("tokens"));
            if (!Files.exists(file) || !Files.readString(file).equals(text)) {
                Path tmp = Files.createTempFile(dir, ".softhsm2", ".conf");
                Files.writeString(tmp, text);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the SoftHSM configuration " + file, e);
        }
        conf = file;
        return file;
    }

    private static String notInstalled(String what) {
        return "SoftHSM2 is not installed: " + what + ". The PKCS#11 tests run against a real SoftHSM2 token;"
            + " on Debian install it with: apt-get install softhsm2";
    }

    private static String randomHex() {
        byte[] bytes = new byte[8];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
