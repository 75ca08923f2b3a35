package dev.mainstay.platform.crypto;

/** Which provider mode this test JVM runs the crypto tests in: the {@code crypto-fips} surefire run sets FIPS. */
final class CryptoModes {

    private CryptoModes() {
    }

    static boolean fips() {
        return Boolean.getBoolean(CryptoProviders.APPROVED_ONLY_PROPERTY);
    }

    static CryptoProviders current() {
        return CryptoProviders.of(fips());
    }
}
