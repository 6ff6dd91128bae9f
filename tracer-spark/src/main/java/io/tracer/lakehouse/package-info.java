/**
 * The lakehouse: where a run's metrics go. {@link io.tracer.lakehouse.LakehouseLayout} maps the
 * configured root to one Delta table per {@link io.tracer.lakehouse.MetricTable} (and the policy
 * root), {@link io.tracer.lakehouse.MetricTables} holds their explicit schemas (documented in
 * docs/tables.md), and {@link io.tracer.lakehouse.DeltaWriter} writes one run's rows
 * idempotently, keyed by run id, with the run id in each commit's userMetadata.
 */
package io.tracer.lakehouse;
