package dev.mainstay.platform.flaky;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * Flaky-test detection's current verdicts, for other features: the merge queue asks here which of
 * a candidate's failing tests are known to be flaky, rather than read {@code flaky_test}. A test is
 * named {@code classname.name}, with {@code [variant]} when it has one.
 */
public interface FlakinessVerdicts {

    /** Those of {@code tests} in {@code repo} whose verdict is flaky now; empty when {@code tests} is. */
    Set<String> flakyAmong(String repo, List<String> tests) throws SQLException;
}
