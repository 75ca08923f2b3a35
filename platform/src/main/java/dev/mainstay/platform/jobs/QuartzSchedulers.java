package dev.mainstay.platform.jobs;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.quartz.impl.jdbcjobstore.PostgreSQLDelegate;
import org.quartz.simpl.SimpleThreadPool;
import org.quartz.spi.JobFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Makes the appliance's Quartz scheduler: the JDBC job store on the appliance's PostgreSQL (tables
 * {@code qrtz_*}, made by migration V24 from Quartz's own DDL), clustered, so that replicas share the
 * schedule and each firing runs on one of them, and a replica that stops checking in has its runs
 * recovered by another; connections from the appliance's own pool; jobs made by {@code jobFactory}.
 *
 * <p>Every replica uses the same scheduler name ({@value #NAME}: the cluster) and its own instance id.
 * Quartz keeps a JVM-wide registry of schedulers by name; the appliance does not look schedulers up
 * there, so the scheduler is taken out of it, which lets tests run two replicas' schedulers in one JVM.
 */
public final class QuartzSchedulers {

    /** The cluster's name, the {@code sched_name} of every {@code qrtz_} row. */
    public static final String NAME = "mainstay";
    /** How often a replica checks in; one silent for longer (plus a margin) is taken for dead and its runs recovered. */
    static final long CHECKIN_MILLIS = 7_500;

    private QuartzSchedulers() {
    }

    /**
     * A scheduler, not yet started.
     *
     * @param dataSource the appliance's pool
     * @param instanceId this replica's id in the cluster; unique among replicas
     * @param threads    how many jobs may run at once on this replica
     * @param jobFactory makes the job instances
     * @throws SchedulerException when Quartz cannot be set up on the database
     */
    public static Scheduler create(DataSource dataSource, String instanceId, int threads, JobFactory jobFactory)
        throws SchedulerException {
        String connections = NAME + "-" + instanceId;
        DBConnectionManager.getInstance().addConnectionProvider(connections, new PoolConnections(dataSource));
        Properties p = new Properties();
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, NAME);
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_ID, instanceId);
        p.setProperty(StdSchedulerFactory.PROP_SCHED_MAKE_SCHEDULER_THREAD_DAEMON, "true");
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INTERRUPT_JOBS_ON_SHUTDOWN, "true");
        p.setProperty(StdSchedulerFactory.PROP_THREAD_POOL_CLASS, SimpleThreadPool.class.getName());
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
        p.setProperty("org.quartz.threadPool.threadNamePrefix", "mainstay-job");
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, JobStoreTX.class.getName());
        p.setProperty("org.quartz.jobStore.driverDelegateClass", PostgreSQLDelegate.class.getName());
        p.setProperty("org.quartz.jobStore.dataSource", connections);
        p.setProperty("org.quartz.jobStore.tablePrefix", "qrtz_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(CHECKIN_MILLIS));
        // Job data is stored as text properties, never as serialized Java objects.
        p.setProperty("org.quartz.jobStore.useProperties", "true");
        p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        StdSchedulerFactory factory = new StdSchedulerFactory(p);
        Scheduler scheduler = factory.getScheduler();
        SchedulerRepository.getInstance().remove(NAME);
        scheduler.setJobFactory(jobFactory);
        return scheduler;
    }

    /** Quartz's connections, from the appliance's pool; Quartz sets and restores auto-commit itself. */
    private record PoolConnections(DataSource dataSource) implements ConnectionProvider {
        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {
            // The pool belongs to the appliance, which closes it.
        }

        @Override
        public void initialize() {
            // The pool is made and configured by the appliance.
        }
    }
}
