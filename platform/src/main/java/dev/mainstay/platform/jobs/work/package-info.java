/**
 * The one durable-work mechanism the appliance's background loops share: a row is claimed
 * ({@code FOR UPDATE SKIP LOCKED}, so replicas and threads take different rows), handled in the
 * claim's transaction and marked done; a failed attempt is counted, its error cut to
 * {@link dev.mainstay.platform.jobs.work.RetryPolicy#MAX_ERROR} characters and the row tried again
 * after a backoff, or set aside with its error once the policy's attempts are used up
 * ({@link dev.mainstay.platform.jobs.work.DurableWork}, {@link dev.mainstay.platform.jobs.work.RetryPolicy}).
 * Each loop keeps its table's SQL and says how it claims; the mechanism keeps the bookkeeping.
 * A loop runs on one {@link dev.mainstay.platform.jobs.work.BackgroundThread}, woken after a
 * producer's commit and polled in case a wake-up was lost. docs/design.md lists the loops and
 * their settings.
 */
package dev.mainstay.platform.jobs.work;
