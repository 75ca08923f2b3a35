package dev.mainstay.platform.auditing;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The audit trail's background work (checkpoints, Keycloak events, SIEM delivery) runs on named daemon threads. */
final class Background {

    private Background() {
    }

    /** A single-thread scheduler whose thread is called {@code name} and does not keep the JVM alive. */
    static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
}
