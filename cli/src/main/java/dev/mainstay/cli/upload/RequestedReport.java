package dev.mainstay.cli.upload;

import dev.mainstay.cli.command.Arguments;
import dev.mainstay.cli.command.Context;
import dev.mainstay.cli.command.UsageException;
import dev.mainstay.reports.ReportFormat;
import dev.mainstay.reports.bundle.BundleReader;
import dev.mainstay.reports.bundle.UploadMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A report the command line asks to upload: where it is, the name it travels under, and the
 * format its flag promises ({@code --junit} files must be JUnit XML).
 *
 * @param name     its name in the bundle: the path relative to the working directory, with {@code /}
 * @param path     where it is
 * @param format   the format its flag names
 * @param xcresult true for an {@code .xcresult} bundle, which xcresulttool turns into JSON first
 */
record RequestedReport(String name, Path path, ReportFormat format, boolean xcresult) {

    /** The flag of each format, in the order reports are collected. */
    static final Map<String, ReportFormat> FLAGS = flags();

    private static Map<String, ReportFormat> flags() {
        Map<String, ReportFormat> flags = new LinkedHashMap<>();
        flags.put("junit", ReportFormat.JUNIT);
        flags.put("bazel-bep", ReportFormat.BAZEL_BEP);
        flags.put("rspec", ReportFormat.RSPEC);
        flags.put("xcresult", ReportFormat.XCRESULT);
        return flags;
    }

    /** The flag that names {@code format}. */
    static String flag(ReportFormat format) {
        return FLAGS.entrySet().stream().filter(e -> e.getValue() == format).findFirst().orElseThrow().getKey();
    }

    /**
     * Every report the command line names, each file once (the first flag that matched it wins),
     * in the order given.
     *
     * @throws UsageException when none is named, a pattern matches nothing, or an {@code .xcresult}
     *                        bundle is given off macOS
     */
    static List<RequestedReport> collect(Context context, Arguments arguments) throws UsageException {
        if (!named(arguments)) {
            throw new UsageException("name the reports to upload with --junit, --bazel-bep, --rspec or --xcresult");
        }
        return collect(context, arguments, false);
    }

    /** True when the command line names reports with one of the {@link #FLAGS}. */
    static boolean named(Arguments arguments) {
        return FLAGS.keySet().stream().anyMatch(arguments::has);
    }

    /**
     * Every report the command line names, as {@link #collect(Context, Arguments)}, but a pattern that
     * matches nothing is no error when {@code lenient}: after a test run that stopped early, some
     * reports are rightly missing.
     */
    static List<RequestedReport> collect(Context context, Arguments arguments, boolean lenient) throws UsageException {
        Map<Path, RequestedReport> found = new LinkedHashMap<>();
        for (Map.Entry<String, ReportFormat> flag : FLAGS.entrySet()) {
            for (String pattern : arguments.values(flag.getKey())) {
                for (RequestedReport r : expand(context, flag.getKey(), flag.getValue(), pattern, lenient)) {
                    found.putIfAbsent(r.path(), r);
                }
            }
        }
        return List.copyOf(found.values());
    }

    private static List<RequestedReport> expand(Context context, String flag, ReportFormat format, String pattern, boolean lenient)
        throws UsageException {
        if (format == ReportFormat.XCRESULT && Files.isDirectory(context.resolve(pattern))) {
            if (!context.isMac()) {
                throw new UsageException("--xcresult " + pattern + " is an .xcresult bundle, which only Xcode's xcresulttool reads, on macOS;"
                    + " on the Mac run 'xcrun xcresulttool get test-results tests --path " + pattern + " > tests.json' and pass tests.json");
            }
            Path dir = context.resolve(pattern);
            return List.of(new RequestedReport(bundleName(context.workingDir(), dir) + ".json", dir, format, true));
        }
        List<Path> files;
        try {
            files = ReportPatterns.expand(context.workingDir(), pattern);
        } catch (IOException e) {
            throw new UsageException("--" + flag + " " + pattern + ": cannot be searched: " + e.getMessage());
        }
        if (files.isEmpty() && !lenient) {
            throw new UsageException("--" + flag + " " + pattern + ": no file matches (relative to " + context.workingDir() + ")");
        }
        List<RequestedReport> reports = new ArrayList<>();
        for (Path f : files) {
            reports.add(new RequestedReport(bundleName(context.workingDir(), f), f, format, false));
        }
        return reports;
    }

    /**
     * The name {@code file} travels under: its path relative to {@code base}, or without the
     * leading {@code /} when outside it. A name the bundle reserves ({@code mainstay.json},
     * {@code referenced/…}) goes under {@code reports/}.
     */
    static String bundleName(Path base, Path file) {
        Path f = file.toAbsolutePath().normalize();
        String name = f.startsWith(base) ? base.relativize(f).toString() : f.toString();
        name = name.replace('\\', '/').replaceFirst("^/+", "");
        return name.equals(UploadMetadata.ENTRY) || name.startsWith(BundleReader.REFERENCED) ? "reports/" + name : name;
    }
}
