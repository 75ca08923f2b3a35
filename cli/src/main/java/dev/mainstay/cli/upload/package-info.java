/**
 * {@code mainstay upload}: which files to send ({@link dev.mainstay.cli.upload.RequestedReport},
 * glob patterns), the bundle written to disk with its SHA-256 idempotency key, and the HTTP client
 * with retries, backoff, a private CA's trust and proxies ({@link dev.mainstay.cli.upload.UploadClient}).
 * The wire format is docs/uploads.md.
 */
package dev.mainstay.cli.upload;
