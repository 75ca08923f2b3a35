/**
 * Where an upload's metadata comes from when no flag gives it: the environment of seven CI
 * providers ({@link dev.mainstay.cli.ci.CiEnvironment}) and, for what a provider leaves out, the
 * git checkout in the working directory ({@link dev.mainstay.cli.ci.Git}).
 */
package dev.mainstay.cli.ci;
