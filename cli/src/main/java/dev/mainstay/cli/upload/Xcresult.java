package dev.mainstay.cli.upload;

import dev.mainstay.cli.command.Context;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Turns an {@code .xcresult} bundle into the JSON the appliance reads, with Xcode's own tool:
 * {@code xcrun xcresulttool get test-results tests --path DIR}. macOS only; the caller checks.
 */
final class Xcresult {

    private Xcresult() {
    }

    /**
     * Writes the JSON of {@code bundle} to {@code json}.
     *
     * @throws IOException when xcrun is not on the PATH, fails, or takes more than ten minutes; the
     *                     message carries what it printed
     */
    static void export(Context context, Path bundle, Path json) throws IOException, InterruptedException {
        Path errors = json.resolveSibling(json.getFileName() + ".stderr");
        Process process = new ProcessBuilder(List.of(xcrun(context), "xcresulttool", "get", "test-results", "tests", "--path",
            bundle.toString()))
            .directory(context.workingDir().toFile())
            .redirectOutput(json.toFile())
            .redirectError(errors.toFile())
            .start();
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("xcresulttool did not finish within ten minutes");
        }
        if (process.exitValue() != 0) {
            String said = new String(Files.readAllBytes(errors), StandardCharsets.UTF_8).strip();
            throw new IOException("xcrun xcresulttool get test-results tests failed (exit " + process.exitValue() + ")"
                + (said.isEmpty() ? "" : ": " + said.lines().limit(5).reduce((a, b) -> a + " / " + b).orElse("")));
        }
    }

    /** {@code xcrun} as found on the PATH of the command's environment, or the bare name. */
    private static String xcrun(Context context) {
        for (String dir : context.env("PATH").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "xcrun"))) {
                return Path.of(dir, "xcrun").toString();
            }
        }
        return "xcrun";
    }
}
