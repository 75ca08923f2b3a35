package dev.mainstay.cli.upload;

import dev.mainstay.cli.check.LocalReport;
import dev.mainstay.cli.ci.BuildFacts;
import dev.mainstay.cli.ci.CiEnvironment;
import dev.mainstay.cli.ci.Field;
import dev.mainstay.cli.ci.Git;
import dev.mainstay.cli.command.Arguments;
import dev.mainstay.cli.command.Command;
import dev.mainstay.cli.command.Context;
import dev.mainstay.cli.command.ExitCode;
import dev.mainstay.cli.command.Option;
import dev.mainstay.cli.command.UsageException;
import dev.mainstay.reports.ReportSummary;
import dev.mainstay.reports.bundle.BundleReader;
import dev.mainstay.reports.bundle.UploadMetadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code mainstay upload}: reads the named reports here with the appliance's parsers, refuses to
 * send any that is invalid, writes the bundle (docs/uploads.md) to a temporary file and POSTs it
 * with its SHA-256 as the idempotency key, or with {@code --dry-run} writes it to a file and
 * shows what would be sent. Metadata comes from the flags, else the CI provider's environment,
 * else git.
 */
public final class UploadCommand implements Command {

    @Override
    public String name() {
        return "upload";
    }

    @Override
    public String usage() {
        return "--url URL [--junit GLOB...] [--bazel-bep FILE...] [--rspec FILE...] [--xcresult PATH...] [options]";
    }

    @Override
    public String summary() {
        return "check the reports here, then send them to the appliance in one bundle";
    }

    @Override
    public List<Option> options() {
        List<Option> options = new ArrayList<>(List.of(
            Option.one("url", "URL", "the appliance, e.g. https://mainstay.example.internal (or MAINSTAY_URL)"),
            Option.one("token", "TOKEN", "an API token with uploads:write; better: MAINSTAY_TOKEN, which no process list shows"),
            Option.many("junit", "GLOB", "JUnit XML files; ** crosses folders, e.g. '**/TEST-*.xml' (quote it)"),
            Option.many("bazel-bep", "FILE", "Bazel's --build_event_json_file; the test.xml files it names come along"),
            Option.many("rspec", "FILE", "RSpec's --format json output"),
            Option.many("xcresult", "PATH", "an .xcresult bundle (macOS, read with xcrun xcresulttool) or the JSON that tool wrote")));
        for (Field f : Field.values()) {
            options.add(Option.one(f.flag(), f.value(), f.help()));
        }
        options.addAll(List.of(
            Option.one("dry-run", "FILE", "write the bundle to FILE and show what would be sent; send nothing"),
            Option.one("retries", "N", Destination.RETRIES_HELP),
            Option.one("ca-cert", "FILE", "also trust the CA certificates in this PEM file (a private CA)"),
            Option.one("proxy", "HOST:PORT", "send through this HTTP proxy (else HTTPS_PROXY; NO_PROXY applies)"),
            Option.toggle("json", "print the appliance's JSON answer instead of a summary"),
            Option.one("test-process-exit-code", "N", "the test command's exit status: exit 0 if every failed test is quarantined, else N")));
        options.addAll(QuarantineDecision.OPTIONS);
        return options;
    }

    @Override
    public boolean takesFiles() {
        return false;
    }

    @Override
    public int run(Context context, Arguments arguments) throws UsageException {
        boolean dryRun = arguments.has("dry-run");
        Optional<Integer> testExit = testProcessExitCode(arguments);
        if (dryRun && testExit.isPresent()) {
            throw new UsageException("--test-process-exit-code decides with the appliance's quarantine list; a --dry-run sends nothing");
        }
        QuarantineDecision decision = QuarantineDecision.from(context, arguments);
        Destination destination = Destination.from(context, arguments, dryRun);
        UploadMetadata metadata = facts(context, arguments).metadata();
        List<RequestedReport> requested = RequestedReport.collect(context, arguments);
        FailingTests failing = new FailingTests();
        ExitCode uploaded = checkAndSend(context, arguments, destination, metadata, requested, failing);
        if (testExit.isEmpty()) {
            return uploaded.code();
        }
        if (uploaded == ExitCode.INVALID_REPORT) {
            return QuarantineDecision.failSafe(context, testExit.get(), "the reports cannot be trusted to say which tests failed");
        }
        if (uploaded != ExitCode.OK) {
            context.err().println("mainstay: warning: the reports were not uploaded (see above); the exit code is the quarantine decision");
        }
        try {
            return decision.decide(context, destination, testExit.get(), failing, metadata.repo(), metadata.variant());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return QuarantineDecision.failSafe(context, testExit.get(), "interrupted");
        }
    }

    /** {@code --test-process-exit-code N}, when given. */
    private static Optional<Integer> testProcessExitCode(Arguments arguments) throws UsageException {
        Optional<String> given = arguments.value("test-process-exit-code");
        if (given.isEmpty()) {
            return Optional.empty();
        }
        if (!given.get().matches("\\d{1,3}") || Integer.parseInt(given.get()) > 255) {
            throw new UsageException("--test-process-exit-code must be the test command's exit status, 0 to 255, not '" + given.get() + "'");
        }
        return Optional.of(Integer.parseInt(given.get()));
    }

    /**
     * Checks the reports here (showing each execution to {@code failing}), writes the bundle and sends
     * it, or with {@code --dry-run} writes it where asked and shows what would be sent.
     */
    static ExitCode checkAndSend(Context context, Arguments arguments, Destination destination, UploadMetadata metadata,
                                 List<RequestedReport> requested, FailingTests failing) {
        boolean dryRun = arguments.has("dry-run");
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("mainstay-upload-");
            List<LocalReport> checked = check(context, requested, scratch, failing);
            List<LocalReport> invalid = checked.stream().filter(r -> r instanceof LocalReport.Invalid).toList();
            if (!invalid.isEmpty()) {
                context.err().println("mainstay: nothing was sent: " + invalid.size() + " of " + checked.size()
                    + (checked.size() == 1 ? " report" : " reports") + (invalid.size() == 1 ? " is" : " are") + " invalid");
                invalid.forEach(r -> context.err().println(LocalReport.line(r)));
                return ExitCode.INVALID_REPORT;
            }
            List<LocalReport.Parsed> parsed = checked.stream().map(LocalReport.Parsed.class::cast).toList();
            Path target = dryRun ? context.resolve(arguments.value("dry-run").orElseThrow()) : scratch.resolve("bundle.tgz");
            BundleFile bundle = BundleFile.write(target, metadata, entries(parsed));
            if (dryRun) {
                showDryRun(context, destination, metadata, bundle, parsed, arguments.value("dry-run").orElseThrow());
                return ExitCode.OK;
            }
            return destination.send(context, bundle, arguments.has("json"), parsed.size());
        } catch (IOException e) {
            context.err().println("mainstay: nothing was sent: " + e.getMessage());
            return ExitCode.INVALID_REPORT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            context.err().println("mainstay: interrupted");
            return ExitCode.UNREACHABLE;
        } finally {
            deleteQuietly(scratch);
        }
    }

    /** Flags over the CI provider's variables over git. */
    static BuildFacts facts(Context context, Arguments arguments) {
        BuildFacts flags = BuildFacts.NONE;
        for (Field f : Field.values()) {
            flags = flags.with(f, arguments.value(f.flag()).orElse(""));
        }
        BuildFacts known = flags.orElse(CiEnvironment.detect(context.env()));
        boolean gitNeeded = known.get(Field.REPO).isEmpty() || known.get(Field.COMMIT).isEmpty() || known.get(Field.BRANCH).isEmpty();
        return gitNeeded ? known.orElse(Git.facts(context.workingDir())) : known;
    }

    /** Each report parsed here; an .xcresult bundle is turned into JSON in {@code scratch} first. */
    private static List<LocalReport> check(Context context, List<RequestedReport> requested, Path scratch, FailingTests failing)
        throws IOException, InterruptedException {
        List<LocalReport> checked = new ArrayList<>();
        for (RequestedReport r : requested) {
            Path file = r.path();
            if (r.xcresult()) {
                file = scratch.resolve("xcresult-" + checked.size() + ".json");
                Xcresult.export(context, r.path(), file);
            }
            LocalReport report = LocalReport.read(r.name(), file, failing);
            if (report instanceof LocalReport.Parsed p && p.format() != r.format()) {
                report = new LocalReport.Invalid(r.name(), r.name() + ": given with --" + RequestedReport.flag(r.format())
                    + ", but it is a " + p.format().text() + " report; pass it with --" + RequestedReport.flag(p.format()));
            }
            checked.add(report);
        }
        return checked;
    }

    /** The files Bazel event streams refer to, each once, then the reports: a referenced file must precede its stream. */
    private static List<BundleFile.Entry> entries(List<LocalReport.Parsed> reports) {
        Map<String, BundleFile.Entry> referenced = new LinkedHashMap<>();
        for (LocalReport.Parsed p : reports) {
            for (URI uri : p.referenced()) {
                BundleReader.referencedName(uri).ifPresent(name -> referenced.putIfAbsent(name, new BundleFile.Entry(name, Path.of(uri))));
            }
        }
        List<BundleFile.Entry> entries = new ArrayList<>(referenced.values());
        reports.forEach(p -> entries.add(new BundleFile.Entry(p.name(), p.path())));
        return entries;
    }

    private static void showDryRun(Context context, Destination destination, UploadMetadata metadata, BundleFile bundle,
                                   List<LocalReport.Parsed> reports, String given) {
        var out = context.out();
        out.println("mainstay: dry run: wrote " + given + " (" + ConsoleProgress.size(bundle.size()) + "); nothing was sent");
        out.println("request: " + destination.describe());
        out.println("Idempotency-Key: " + bundle.sha256());
        out.println(UploadMetadata.ENTRY + ":");
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try {
            metadata.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        json.toString(StandardCharsets.UTF_8).lines().forEach(l -> out.println("  " + l));
        out.println("files:");
        Map<String, LocalReport.Parsed> byName = new LinkedHashMap<>();
        reports.forEach(p -> byName.put(p.name(), p));
        for (BundleFile.Entry e : bundle.entries()) {
            LocalReport.Parsed p = byName.get(e.name());
            out.println("  " + e.name() + (p == null ? " (referenced)" : ": " + p.format().text() + ", " + LocalReport.counts(p.summary())));
        }
        out.println("total: " + reports.size() + (reports.size() == 1 ? " report, " : " reports, ") + LocalReport.counts(sum(reports)));
    }

    private static ReportSummary sum(List<LocalReport.Parsed> reports) {
        return reports.stream().map(LocalReport.Parsed::summary).reduce(new ReportSummary(0, 0, 0, 0, 0, 0),
            (a, b) -> new ReportSummary(a.cases() + b.cases(), a.passed() + b.passed(), a.failed() + b.failed(), a.errors() + b.errors(),
                a.skipped() + b.skipped(), a.attempts() + b.attempts()));
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary folder left behind is harmless; the upload's outcome matters more.
        }
    }
}
