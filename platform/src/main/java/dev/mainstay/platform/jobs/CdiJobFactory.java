package dev.mainstay.platform.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.quartz.Job;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;

/** Quartz's jobs are CDI beans: each firing gets the bean of the job's class, with its dependencies injected. */
@ApplicationScoped
class CdiJobFactory implements JobFactory {

    private final Instance<Job> jobs;

    @Inject
    CdiJobFactory(Instance<Job> jobs) {
        this.jobs = jobs;
    }

    @Override
    public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
        Class<? extends Job> type = bundle.getJobDetail().getJobClass();
        Instance<? extends Job> bean = jobs.select(type);
        if (!bean.isResolvable()) {
            throw new SchedulerException("no CDI bean of job class " + type.getName());
        }
        return bean.get();
    }
}
