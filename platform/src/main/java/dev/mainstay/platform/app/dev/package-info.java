/**
 * {@code ./mainstay dev}: an embedded PostgreSQL and a self-signed certificate under a data
 * directory, so the appliance runs on a fresh machine with nothing installed by hand. The only
 * production code that uses {@code dev.mainstay.devservices}.
 */
package dev.mainstay.platform.app.dev;
