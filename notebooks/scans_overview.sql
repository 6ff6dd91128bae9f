-- Scans: what each tracer scan found in a trace table, newest first, one row per target with the
-- coverage a fit could certify there: an ESTIMATE from a quick surrogate, not a certificate.
-- Placeholder: ${tables} = the table prefix (tracer.lakehouse.catalog, e.g. main.tracer; see the notebook).
SELECT s.run_id, s.scanned_at, s.traces_uri, s.rows_read, s.rows_valid, s.invalid_share,
       s.duplicate_share, s.labels, s.tail_labels, s.input_chars_p50, s.texts_to_embed,
       s.embed_seconds_estimate, s.surrogate, s.surrogate_agreement, e.target,
       e.coverage AS estimated_coverage, e.calls_saved_per_day AS estimated_calls_saved_per_day
FROM ${tables}.scans s
LATERAL VIEW explode(s.estimates) x AS e
ORDER BY s.scanned_at DESC, s.run_id, e.target
LIMIT 100
