package dev.mainstay.testkit.github;

/**
 * Where the simulated CI hands the JUnit XML of each run, as a real CI job uploads its reports
 * (the platform's tests supply one that uploads to Mainstay; testkit does not know the platform).
 */
@FunctionalInterface
public interface ResultSink {

    /**
     * Receives one finished run's report.
     *
     * @param run   what ran: repository, candidate branch and commit, pull requests, outcome
     * @param junit the run's JUnit XML: a {@code <testsuite>} per test class, failing tests with a {@code <failure>}
     */
    void accept(CiModel.Run run, String junit);
}
