package dev.mainstay.platform.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.testkit.MainstayDatabase;
import dev.mainstay.testkit.TestDatabase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.spi.JobFactory;

/**
 * The appliance's Quartz is really clustered: two replicas' schedulers (different instance ids,
 * one database, made by {@link QuartzSchedulers} as the appliance makes its own) share one
 * schedule, and each fire time runs on exactly one of them.
 */
@MainstayDatabase
class ClusteredSchedulerTest {

    private static final int FIRE_TIMES = 8;

    @Test
    void two_replicas_on_one_database_run_each_fire_time_of_a_job_once_between_them(TestDatabase shared) throws Exception {
        TestDatabase db = shared.fresh();
        Map<Date, List<String>> ranOn = new ConcurrentHashMap<>();
        CountDownLatch fired = new CountDownLatch(FIRE_TIMES);
        Scheduler a = QuartzSchedulers.create(dataSource(db), "replica-a", 2, recorder("replica-a", ranOn, fired));
        Scheduler b = QuartzSchedulers.create(dataSource(db), "replica-b", 2, recorder("replica-b", ranOn, fired));
        try {
            JobDetail job = JobBuilder.newJob(Job.class).withIdentity("every-second", "test").storeDurably().requestRecovery().build();
            Trigger everySecond = TriggerBuilder.newTrigger().withIdentity("every-second", "test").forJob(job)
                .withSchedule(SimpleScheduleBuilder.repeatSecondlyForever()).build();
            a.scheduleJob(job, everySecond);
            assertTrue(b.checkExists(job.getKey()), "the second replica sees the job the first stored: one schedule, in the database");
            a.start();
            b.start();
            assertTrue(fired.await(60, TimeUnit.SECONDS), "the job fired " + FIRE_TIMES + " times within a minute: " + ranOn);
        } finally {
            a.shutdown(true);
            b.shutdown(true);
        }
        List<String> twice = new ArrayList<>();
        ranOn.forEach((time, replicas) -> {
            if (replicas.size() != 1) {
                twice.add(time.toInstant() + " on " + replicas);
            }
        });
        assertEquals(List.of(), twice, "no fire time ran on both replicas (or twice on one)");
        assertEquals(List.of("replica-a", "replica-b"), db.column("SELECT instance_name FROM qrtz_scheduler_state ORDER BY 1"),
            "both replicas checked in to the cluster");
    }

    /** A job factory whose jobs note which replica ran which fire time. */
    private static JobFactory recorder(String replica, Map<Date, List<String>> ranOn, CountDownLatch fired) {
        return (bundle, scheduler) -> context -> {
            ranOn.computeIfAbsent(context.getScheduledFireTime(), t -> Collections.synchronizedList(new ArrayList<>())).add(replica);
            fired.countDown();
        };
    }

    private static PGSimpleDataSource dataSource(TestDatabase db) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(db.jdbcUrl());
        dataSource.setUser(db.user());
        dataSource.setPassword(db.password());
        return dataSource;
    }
}
