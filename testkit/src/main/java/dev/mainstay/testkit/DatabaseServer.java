package dev.mainstay.testkit;

/** A PostgreSQL server that hands out fresh databases; one per test JVM. */
interface DatabaseServer extends AutoCloseable {

    /** Creates an empty database named {@code name} and describes how to reach it. */
    TestDatabase createDatabase(String name);

    /** A short description for logs and failure messages. */
    String describe();

    @Override
    void close();
}
