/**
 * {@code tracer scan}: the day-one read of a trace table. One pass over the table for the counts
 * (validation as a fit does it, labels, duplicates, input lengths, embeddings), one quick surrogate
 * on a bounded sample, and per target an estimate ({@link io.tracer.scan.ScanEstimate}) of the
 * coverage a fit could certify, clearly not a certificate. Writes a row of the scans table and a
 * small report page.
 */
package io.tracer.scan;
