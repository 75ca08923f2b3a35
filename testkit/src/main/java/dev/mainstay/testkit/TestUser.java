package dev.mainstay.testkit;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * A user of the test {@code mainstay} realm that {@link KeycloakFixture} imports: the four demo
 * users of the dev realm (one per role, organisation {@code acme}) with a seeded TOTP credential,
 * plus {@link #NEWCOMER}, who has no second factor yet, and {@link #OUTSIDER}, an admin of another
 * organisation.
 *
 * @param username   the Keycloak user name
 * @param password   the password
 * @param otpSecret  the base32 TOTP secret of the seeded OTP credential, or null when the user has none
 * @param org        the organisation, i.e. the group {@code /orgs/<org>}
 * @param role       the {@code mainstay} client role
 */
public record TestUser(String username, String password, String otpSecret, String org, String role) {

    /** Role {@code admin} of {@code acme}. */
    public static final TestUser ADMIN = new TestUser("admin", "admin-Pa55-test", "MFSG22LOFV2G65DQFVZWKZLEFUYDCMRT", "acme", "admin");
    /** Role {@code maintainer} of {@code acme}. */
    public static final TestUser MAINTAINER = new TestUser("maintainer", "maintainer-Pa55-test", "NVQWS3TUMFUW4ZLSFV2G65DQFVZWKZLE", "acme", "maintainer");
    /** Role {@code member} of {@code acme}. */
    public static final TestUser MEMBER = new TestUser("member", "member-Pa55-test", "NVSW2YTFOIWXI33UOAWXGZLFMQWTAMJS", "acme", "member");
    /** Role {@code auditor} of {@code acme}. */
    public static final TestUser AUDITOR = new TestUser("auditor", "auditor-Pa55-test", "MF2WI2LUN5ZC25DPORYC243FMVSC2MBR", "acme", "auditor");
    /** Role {@code member} of {@code acme} without an OTP credential: the first login enrolls one. */
    public static final TestUser NEWCOMER = new TestUser("newcomer", "newcomer-Pa55-test", null, "acme", "member");
    /** Role {@code admin} of another organisation, {@code globex}. */
    public static final TestUser OUTSIDER = new TestUser("outsider", "outsider-Pa55-test", "N52XI43JMRSXELLUN52HALLTMVSWILJQ", "globex", "admin");

    /** The maintainer's GitHub login (Keycloak attribute {@code github_login}), which is not their user name. */
    public static final String MAINTAINER_GITHUB_LOGIN = "max-maintainer";

    /** Every test user. */
    public static final List<TestUser> ALL = List.of(ADMIN, MAINTAINER, MEMBER, AUDITOR, NEWCOMER, OUTSIDER);

    /**
     * The test user called {@code username}.
     *
     * @throws NoSuchElementException if there is none
     */
    public static TestUser byUsername(String username) {
        return ALL.stream().filter(u -> u.username.equals(username)).findFirst()
            .orElseThrow(() -> new NoSuchElementException("no test user " + username + "; there are " +
                ALL.stream().map(TestUser::username).toList()));
    }

    /** The group path, e.g. {@code /orgs/acme}. */
    public String group() {
        return "/orgs/" + org;
    }

    /** True when the user has a seeded OTP credential. */
    public boolean hasOtp() {
        return otpSecret != null;
    }

    /** Hides the password and secret from test reports. */
    @Override
    public String toString() {
        return "TestUser[" + username + ", " + role + " of " + org + (hasOtp() ? ", with OTP" : ", no OTP") + "]";
    }
}
