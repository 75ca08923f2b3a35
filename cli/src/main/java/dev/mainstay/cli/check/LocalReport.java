package dev.mainstay.cli.check;

import dev.mainstay.reports.ExecutionSink;
import dev.mainstay.reports.ParseLimits;
import dev.mainstay.reports.ReportException;
import dev.mainstay.reports.ReportFormat;
import dev.mainstay.reports.ReportSummary;
import dev.mainstay.reports.Reports;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * One report read on this machine, with the parsers the appliance uses, before anything is sent:
 * either its format and counts, or what is wrong with it, naming the file and line.
 */
public sealed interface LocalReport {

    /** The report's name as the user gave it. */
    String name();

    /**
     * A report that parsed.
     *
     * @param name       as given
     * @param path       where it is
     * @param format     as detected from its content
     * @param summary    its counts
     * @param referenced the {@code file://} files it refers to that exist here (Bazel's test.xml)
     */
    record Parsed(String name, Path path, ReportFormat format, ReportSummary summary, List<URI> referenced) implements LocalReport {
        public Parsed {
            referenced = List.copyOf(referenced);
        }
    }

    /**
     * A report that did not.
     *
     * @param name    as given
     * @param problem what is wrong, starting with the name and, when known, the line: {@code a.xml:12: DTDs are not accepted}
     */
    record Invalid(String name, String problem) implements LocalReport {
    }

    /** Reads the report {@code name} at {@code path}. */
    static LocalReport read(String name, Path path) {
        return read(name, path, execution -> { });
    }

    /** Reads the report {@code name} at {@code path}, showing each execution to {@code also} as well. */
    static LocalReport read(String name, Path path, ExecutionSink also) {
        if (Files.isDirectory(path)) {
            return new Invalid(name, name + ": is a directory, not a report file");
        }
        DiskReferencedFiles referenced = new DiskReferencedFiles();
        ReportSummary.Counter counter = new ReportSummary.Counter();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 64 << 10)) {
            ReportFormat format = Reports.parse(name, in, ParseLimits.DEFAULT, referenced, execution -> {
                counter.accept(execution);
                also.accept(execution);
            });
            return new Parsed(name, path, format, counter.summary(), referenced.opened());
        } catch (ReportException e) {
            return new Invalid(name, e.getMessage());
        } catch (NoSuchFileException e) {
            return new Invalid(name, name + ": no such file");
        } catch (IOException e) {
            return new Invalid(name, name + ": cannot be read: " + e.getMessage());
        }
    }

    /** {@code ok   NAME: junit, 12 cases (…), 13 attempts} or {@code FAIL NAME:LINE: problem}. */
    static String line(LocalReport report) {
        return switch (report) {
            case Parsed p -> "ok   " + p.name() + ": " + p.format().text() + ", " + counts(p.summary());
            case Invalid i -> "FAIL " + i.problem();
        };
    }

    /** {@code 12 cases (11 passed, 1 failed, 0 errors, 0 skipped), 13 attempts}. */
    static String counts(ReportSummary s) {
        return s.cases() + " cases (" + s.passed() + " passed, " + s.failed() + " failed, " + s.errors() + " errors, " + s.skipped()
            + " skipped), " + s.attempts() + " attempts";
    }
}
