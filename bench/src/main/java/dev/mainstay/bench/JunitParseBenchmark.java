package dev.mainstay.bench;

import dev.mainstay.reports.ParseLimits;
import dev.mainstay.reports.ReferencedFiles;
import dev.mainstay.reports.ReportException;
import dev.mainstay.reports.Reports;
import dev.mainstay.reports.junit.JunitXmlParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Parse throughput of a ~100 MB generated Surefire-style JUnit report ({@link JunitReportGenerator}):
 * the JUnit parser, through {@link Reports#parse} with the default limits and every execution
 * handed to a {@link Blackhole}, against a bare StAX pass over the same bytes (the goal: the parser
 * at >= 0.7 of the bare pass). Then the peak heap of parsing the file from disk in a fresh JVM
 * with {@code -Xmx256m} ({@link JunitParseHeap}; the goal: under 256 MB).
 *
 * <p>The bare pass is Woodstox reading the bytes directly (no byte filter, no size limit) with the
 * parser's own factory settings ({@link JunitXmlParser#inputFactory}), taking every event: at a
 * start element its local name and every attribute's local name and value; at text, CDATA and
 * white space the text's characters ({@code getTextCharacters}, which makes Woodstox finish the
 * lazily read text), start and length; at an end element its local name; each into the Blackhole.
 *
 * <p>Run: {@code ./mvnw -o -pl bench -am process-classes -Pjunit-benchmark}. Arguments: where to
 * write the report (optional), then JMH's own (e.g. {@code -wi 1 -i 1} for a quick look).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 4)
@Measurement(iterations = 10, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class JunitParseBenchmark {

    /** About 100 MB (10^8 bytes), as the goal names; the seed fixes the bytes. */
    static final long REPORT_BYTES = 100_000_000L;
    static final long SEED = 20261123L;

    @Param("")
    public String report;

    private byte[] bytes;
    private XMLInputFactory factory;

    @Setup(Level.Trial)
    public void read() throws IOException {
        bytes = Files.readAllBytes(Path.of(report));
        factory = JunitXmlParser.inputFactory(ParseLimits.DEFAULT);
    }

    @Benchmark
    public void junitXmlParser(Blackhole sink) throws IOException, ReportException {
        Reports.parse("bench.xml", new ByteArrayInputStream(bytes), ParseLimits.DEFAULT, ReferencedFiles.NONE, sink::consume);
    }

    @Benchmark
    public void bareStax(Blackhole sink) throws XMLStreamException {
        XMLStreamReader xml = factory.createXMLStreamReader(new ByteArrayInputStream(bytes));
        while (xml.hasNext()) {
            switch (xml.next()) {
                case XMLStreamConstants.START_ELEMENT -> {
                    sink.consume(xml.getLocalName());
                    for (int i = 0, n = xml.getAttributeCount(); i < n; i++) {
                        sink.consume(xml.getAttributeLocalName(i));
                        sink.consume(xml.getAttributeValue(i));
                    }
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    sink.consume(xml.getTextCharacters());
                    sink.consume(xml.getTextStart());
                    sink.consume(xml.getTextLength());
                }
                case XMLStreamConstants.END_ELEMENT -> sink.consume(xml.getLocalName());
                default -> {
                    // The document's start and end, comments and processing instructions: nothing to take.
                }
            }
        }
        xml.close();
    }

    /**
     * Writes the reports (under {@code target/junit-benchmark/}, unless a path is given), runs both
     * benchmarks, prints MB/s and the ratio, then the heap figures of a fresh JVM per report.
     */
    public static void main(String[] args)
        throws IOException, InterruptedException, ReportException, RunnerException, CommandLineOptionException {
        Path dir = Path.of("target", "junit-benchmark");
        boolean named = args.length > 0 && !args[0].startsWith("-");
        Path surefire = named ? Path.of(args[0]) : dir.resolve("surefire-" + REPORT_BYTES + "-" + SEED + ".xml");
        Path oneSuite = dir.resolve("one-suite-" + REPORT_BYTES + "-" + SEED + ".xml");
        JunitReportGenerator.Written written = JunitReportGenerator.write(surefire, REPORT_BYTES, SEED, JunitReportGenerator.Mix.SUREFIRE);
        System.out.println("surefire mix: " + written);
        System.out.println("one large suite: " + JunitReportGenerator.write(oneSuite, REPORT_BYTES, SEED,
            JunitReportGenerator.Mix.ONE_LARGE_SUITE));
        long[] executions = new long[1];
        try (InputStream in = Files.newInputStream(surefire)) {
            Reports.parse(surefire.toString(), in, ParseLimits.DEFAULT, ReferencedFiles.NONE, e -> executions[0]++);
        }
        if (executions[0] != written.executions()) {
            throw new IllegalStateException("the parser read " + executions[0] + " executions of the " + written.executions() + " written");
        }

        String[] jmhArgs = Arrays.copyOfRange(args, named ? 1 : 0, args.length);
        Collection<RunResult> results = new Runner(new OptionsBuilder().parent(new CommandLineOptions(jmhArgs))
            .include(JunitParseBenchmark.class.getName() + "\\.").param("report", surefire.toAbsolutePath().toString()).build()).run();
        double size = Files.size(surefire) / 1e6;
        double parser = Double.NaN;
        double bare = Double.NaN;
        for (RunResult result : results) {
            // The median of the measured iterations as well as JMH's mean: a shared machine's noise comes in bursts.
            double[] ms = result.getBenchmarkResults().stream().flatMap(r -> r.getIterationResults().stream())
                .mapToDouble(i -> i.getPrimaryResult().getScore()).sorted().toArray();
            double median = ms.length % 2 == 1 ? ms[ms.length / 2] : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
            String name = result.getParams().getBenchmark();
            System.out.printf(Locale.ROOT, "%-16s mean %7.1f ms, median %7.1f ms per report: %6.1f MB/s (median)%n",
                name.substring(name.lastIndexOf('.') + 1), result.getPrimaryResult().getScore(), median, size / (median / 1000));
            if (name.endsWith(".junitXmlParser")) {
                parser = median;
            } else {
                bare = median;
            }
        }
        System.out.printf(Locale.ROOT, "parser / bare StAX throughput (medians): %.2f (goal: >= 0.70)%n", bare / parser);

        for (Path report : List.of(surefire, oneSuite)) {
            heap(report);
        }
    }

    /** Runs {@link JunitParseHeap} on {@code report} in a fresh JVM with a 256 MB heap, its output passed through. */
    private static void heap(Path report) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
            "-cp", System.getProperty("java.class.path"), JunitParseHeap.class.getName(), report.toString()));
        int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
        if (exit != 0) {
            System.out.println("the heap run of " + report + " failed: exit " + exit);
        }
    }
}
