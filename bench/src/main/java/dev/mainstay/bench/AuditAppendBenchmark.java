package dev.mainstay.bench;

import dev.mainstay.audit.AuditCrypto;
import dev.mainstay.audit.AuditEvent;
import dev.mainstay.audit.AuditLog;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Audit appends per second against the embedded PostgreSQL, each in its own committed
 * transaction (as a request's change would be), with 1 and with 8 writers. Appends serialise on
 * the chain's head row, so 8 writers measure the cost of that lock under contention.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class AuditAppendBenchmark {

    /** The database, shared by the writers. */
    @State(Scope.Benchmark)
    public static class Database {
        BenchDatabase db;

        @Setup(Level.Trial)
        public void start() {
            db = new BenchDatabase();
        }

        @TearDown(Level.Trial)
        public void stop() {
            db.close();
        }
    }

    /** One writer's connection. */
    @State(Scope.Thread)
    public static class Writer {
        Connection connection;
        final AuditLog log = new AuditLog(AuditCrypto.standard());
        final AuditEvent event = new AuditEvent(Instant.parse("2026-11-22T10:00:00Z"),
            new AuditEvent.Actor("user", "5c0ffee0-1111-2222-3333-444455556666", "ada", "mfa", "pwd otp"),
            new AuditEvent.Request("10.1.2.3", "Mozilla/5.0 (X11; Linux x86_64)", "3f1c2d9e-0c1b-4e53-9c5b-0d8a1c2b3e4f", ""),
            "acme", "token.create", new AuditEvent.Target("api-token", "0d9e3c5a-51c4-4a8b-9a61-3f0e6f3a7b21"),
            AuditEvent.Outcome.SUCCESS, Map.of("name", "ci main", "scopes", "uploads:write quarantine:read"));

        @Setup(Level.Trial)
        public void open(Database database) throws SQLException {
            connection = database.db.connect();
            connection.setAutoCommit(false);
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            connection.close();
        }
    }

    @Benchmark
    @Threads(1)
    public long oneWriter(Writer writer) throws SQLException {
        return append(writer);
    }

    @Benchmark
    @Threads(8)
    public long eightWriters(Writer writer) throws SQLException {
        return append(writer);
    }

    private static long append(Writer writer) throws SQLException {
        long seq = writer.log.append(writer.connection, writer.event).seq();
        writer.connection.commit();
        return seq;
    }
}
