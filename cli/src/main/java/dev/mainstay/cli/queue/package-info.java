/**
 * {@code mainstay queue simulate}: the merge-queue engine run in virtual time against a model of a
 * repository's CI, beside the baselines, so that operators can model their own repositories and
 * tune the queue's settings before rollout.
 */
package dev.mainstay.cli.queue;
