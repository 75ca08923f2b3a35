/**
 * The upload bundle: what a CI job sends to {@code POST /api/v1/uploads}. A gzip-compressed tar
 * archive whose first entry is {@code mainstay.json} (the {@link dev.mainstay.reports.bundle.UploadMetadata})
 * and whose other entries are report files, any of the formats Mainstay reads. Files a Bazel
 * event stream refers to ({@code test.xml} of each test attempt) travel under {@code referenced/}
 * followed by the path of their {@code file://} URI, before the event stream that names them.
 *
 * <p>{@link dev.mainstay.reports.bundle.BundleWriter} makes bundles (the CLI),
 * {@link dev.mainstay.reports.bundle.BundleReader} reads them in one pass (the server), and any
 * {@code tar czf} makes one too; docs/uploads.md describes the format for people who write their own.
 */
package dev.mainstay.reports.bundle;
