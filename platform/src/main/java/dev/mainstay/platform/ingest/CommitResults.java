package dev.mainstay.platform.ingest;

import java.sql.SQLException;
import java.util.List;

/**
 * What the test results CI uploaded say about one commit of a repository: the merge queue asks
 * here which tests failed on a candidate, rather than read {@code ingest_upload} and
 * {@code test_execution}. A test is named as the queue and its comments show it:
 * {@code classname.name}, with {@code [variant]} when it has one.
 */
public interface CommitResults {

    /** At most this many failing tests are reported for one commit. */
    int MAX_FAILING = 200;

    /**
     * The tests that failed on {@code sha} of {@code repo}, in the order the reports listed them: a
     * test fails when every attempt of it, over every stored upload for the commit, failed or errored
     * (one that passed on a retry is flaky, not failing). Empty when nothing was uploaded for the
     * commit; at most {@value #MAX_FAILING}.
     */
    List<String> failingTests(String repo, String sha) throws SQLException;
}
