package dev.mainstay.flaky;

/**
 * The rule that marks an upload as a probable infrastructure failure, whose executions detection
 * ignores: its failing executions are at least {@code ratio} of those that ran (skipped ones did
 * not run). The appliance flags uploads with it on the way in; history replays apply it per upload.
 */
public final class InfrastructureFailure {

    /** The default ratio: 80 %. */
    public static final double DEFAULT_RATIO = 0.8;

    private InfrastructureFailure() {
    }

    /**
     * True when {@code failing} of {@code ran} executions reach {@code ratio}; never for an upload where nothing ran.
     *
     * @throws IllegalArgumentException when the counts are negative or inconsistent, or the ratio is not within (0, 1]
     */
    public static boolean probable(long failing, long ran, double ratio) {
        if (failing < 0 || ran < failing) {
            throw new IllegalArgumentException("need 0 <= failing <= ran: failing=" + failing + ", ran=" + ran);
        }
        if (!(ratio > 0 && ratio <= 1)) {
            throw new IllegalArgumentException("the infrastructure-failure ratio must be above 0 and at most 1: " + ratio);
        }
        return ran > 0 && failing >= ratio * ran;
    }
}
