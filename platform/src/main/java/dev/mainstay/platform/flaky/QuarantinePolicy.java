package dev.mainstay.platform.flaky;

/**
 * A repository's auto-quarantine policy.
 *
 * @param auto       whether tests detection calls flaky are quarantined automatically (broken ones never are)
 * @param expiryDays how long an automatic quarantine lasts, 1 to 365 days; detection lifts it sooner when the
 *                   test becomes healthy or broken
 */
public record QuarantinePolicy(boolean auto, int expiryDays) {

    /** What a repository has until someone sets a policy: nothing is quarantined automatically. */
    public static final QuarantinePolicy DEFAULT = new QuarantinePolicy(false, 14);

    /** @throws IllegalArgumentException naming the value out of range */
    public QuarantinePolicy {
        if (expiryDays < 1 || expiryDays > 365) {
            throw new IllegalArgumentException("expiry_days must be between 1 and 365: " + expiryDays);
        }
    }

    /** As the API shows it, and the audit trail records it. */
    String json() {
        return "{\"auto_quarantine\":" + auto + ",\"expiry_days\":" + expiryDays + "}";
    }
}
