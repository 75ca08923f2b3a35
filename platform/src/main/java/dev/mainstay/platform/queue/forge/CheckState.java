package dev.mainstay.platform.queue.forge;

import java.util.List;

/** Where a commit stands against its required checks. */
public sealed interface CheckState {

    /** Some checks have not finished (or not started): {@code waitingFor} names them. */
    record Pending(List<String> waitingFor) implements CheckState {
        public Pending {
            waitingFor = List.copyOf(waitingFor);
        }
    }

    /** Every required check passed. */
    record Passed() implements CheckState {
    }

    /** These checks failed; a failure decides even while others still run. */
    record Failed(List<String> failedChecks) implements CheckState {
        public Failed {
            failedChecks = List.copyOf(failedChecks);
        }
    }
}
