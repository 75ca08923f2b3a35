/**
 * Test results from CI: the upload API ({@code POST /api/v1/uploads}), reading the bundle in one
 * pass through the {@code reports} parsers, and writing every execution with PostgreSQL's binary
 * COPY in the upload's one transaction, confidential texts sealed by FieldCipher on the way. The
 * Uploads page shows what arrived and what was refused. docs/uploads.md is the contract.
 */
package dev.mainstay.platform.ingest;
