package dev.mainstay.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import dev.mainstay.reports.ParseLimits;
import dev.mainstay.reports.ReferencedFiles;
import dev.mainstay.reports.ReportException;
import dev.mainstay.reports.Reports;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The heap one parse of a JUnit report takes: run in a fresh JVM (with {@code -Xmx256m} for the
 * goal), it parses the report streamed from disk through {@link Reports#parse} with the default
 * limits, counting executions, and prints two figures from the collector's own accounts (a
 * notification per collection, with the heap pools' usage before and after it), starting from a
 * full collection just before the parse:
 *
 * <ul>
 *   <li>peak used heap: the most in use just before a collection (or at the end). Garbage not
 *       yet collected counts, so this mostly shows how far the collector let the heap fill;</li>
 *   <li>the most in use after a collection: what the parse still held (live data, and old
 *       garbage a young collection does not reach).</li>
 * </ul>
 *
 * <p>Run: {@code java -Xmx256m -cp … dev.mainstay.bench.JunitParseHeap REPORT}; {@link JunitParseBenchmark} runs it.
 */
public final class JunitParseHeap {

    private JunitParseHeap() {
    }

    public static void main(String[] args) throws IOException, ReportException, InterruptedException {
        Path report = Path.of(args[0]);
        Set<String> heap = ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
        AtomicLong before = new AtomicLong();
        AtomicLong after = new AtomicLong();
        AtomicBoolean parsing = new AtomicBoolean();
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
                if (parsing.get() && notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    GcInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo();
                    before.accumulateAndGet(used(info.getMemoryUsageBeforeGc(), heap), Math::max);
                    after.accumulateAndGet(used(info.getMemoryUsageAfterGc(), heap), Math::max);
                }
            }, null, null);
        }
        System.gc();
        parsing.set(true);

        long[] executions = new long[1];
        long started = System.nanoTime();
        try (InputStream in = Files.newInputStream(report)) {
            Reports.parse(report.getFileName().toString(), in, ParseLimits.DEFAULT, ReferencedFiles.NONE, e -> executions[0]++);
        }
        long took = System.nanoTime() - started;
        // The collector's notifications come from another thread, shortly after each collection.
        Thread.sleep(500);
        before.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
        System.out.printf(Locale.ROOT, "%s: %,d bytes, %,d executions in %d ms; -Xmx %d MiB (%s)%n", report.getFileName(),
            Files.size(report), executions[0], took / 1_000_000, Runtime.getRuntime().maxMemory() >> 20,
            ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", ")));
        System.out.printf(Locale.ROOT, "  peak used heap: %.1f MiB; most in use after a collection: %.1f MiB (goal: < 256 MiB)%n",
            before.get() / 1048576.0, after.get() / 1048576.0);
    }

    private static long used(Map<String, MemoryUsage> pools, Set<String> heap) {
        return pools.entrySet().stream().filter(pool -> heap.contains(pool.getKey())).mapToLong(pool -> pool.getValue().getUsed()).sum();
    }
}
