package dev.mainstay.reports;

/** Ids computed once and kept: a change to any of them breaks every stored test id. */
final class TestIdentityIds {

    /** {@code acme, acme/shop, src/test/java/a/BTest.java, a.BTest, adds, linux}. */
    static final String ADDS_ON_LINUX = "d2484c534903daf26d1111b85ec197a6";

    private TestIdentityIds() {
    }
}
