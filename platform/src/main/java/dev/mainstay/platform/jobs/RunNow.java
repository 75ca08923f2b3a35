package dev.mainstay.platform.jobs;

import dev.mainstay.audit.AuditEvent;
import dev.mainstay.platform.auditing.AuditTrail;
import dev.mainstay.platform.identity.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Map;
import org.quartz.SchedulerException;

/**
 * An admin's request to run a job now: stored for the cluster (whichever replica is free runs it)
 * and audited as {@code job.run-now} by the person; the run itself is then recorded and audited
 * ({@code job.run}) like any other.
 */
@ApplicationScoped
class RunNow {

    private final Jobs jobs;
    private final AuditTrail audit;

    @Inject
    RunNow(Jobs jobs, AuditTrail audit) {
        this.jobs = jobs;
        this.audit = audit;
    }

    /** @throws SchedulerException when the request could not be stored; nothing is audited then */
    @Transactional(rollbackOn = SchedulerException.class)
    void request(Caller.Person person, JobDefinition job) throws SchedulerException {
        jobs.runNow(job, person.name());
        audit.record(person.actor(), "", "job.run-now", new AuditEvent.Target("job", job.name()), AuditEvent.Outcome.SUCCESS,
            Map.of("replica", jobs.replica()));
    }
}
