package dev.mainstay.reports;

/** Where a parser puts each execution as soon as it has read it. */
@FunctionalInterface
public interface ExecutionSink {

    /** Takes one execution; a parser calls it in report order. */
    void accept(TestExecution execution);
}
