package dev.mainstay.queue.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The pull requests of one scenario, drawn once from its seed so that every strategy sees the very
 * same ones: arrivals are a Poisson process over the scenario's hours; each pull request is truly
 * bad with the true failure rate, lands in a lane chosen uniformly, and conflicts with an earlier
 * one with the conflict rate.
 */
final class Workload {

    /**
     * One pull request.
     *
     * @param number    its number, from 1 in order of arrival
     * @param at        when it is enqueued, in milliseconds from the start
     * @param bad       its change really breaks the build: every candidate holding it fails
     * @param lane      its lane, 0 to lanes - 1; its only impacted target is {@code lane-N}
     * @param conflicts it conflicts with one earlier pull request still queued in its lane, when there is one
     * @param pick      which of those, as a share of their number (0 inclusive to 1 exclusive)
     */
    record Arrival(int number, long at, boolean bad, int lane, boolean conflicts, double pick) {

        /** The name of the test its change breaks. */
        String brokenTest() {
            return "Lane" + lane + "Test.pr" + number;
        }
    }

    private Workload() {
    }

    static List<Arrival> draw(Scenario scenario) {
        SplittableRandom random = new SplittableRandom(scenario.seed());
        long end = Math.round(scenario.hours() * 3_600_000);
        double meanGap = 3_600_000 / scenario.prsPerHour();
        List<Arrival> arrivals = new ArrayList<>();
        double at = 0;
        while (true) {
            // An exponential gap: 1 - u is in (0, 1], so the log is finite.
            at += -Math.log(1 - random.nextDouble()) * meanGap;
            if (at >= end) {
                return List.copyOf(arrivals);
            }
            boolean bad = random.nextDouble() < scenario.trueFailureRate();
            int lane = random.nextInt(scenario.lanes());
            boolean conflicts = random.nextDouble() < scenario.conflictRate();
            arrivals.add(new Arrival(arrivals.size() + 1, Math.round(at), bad, lane, conflicts, random.nextDouble()));
        }
    }
}
