-- Hardest slices of the latest succeeded run's deployed policy: per label and per input-length
-- tercile, the slices handled least, with agreement on what is handled (tracer fit's report).
-- Placeholder: ${tables} = the table prefix (tracer.lakehouse.catalog, e.g. main.tracer; see the notebook).
WITH latest AS (
  SELECT run_id
  FROM ${tables}.runs
  WHERE status = 'succeeded'
  ORDER BY started_at DESC
  LIMIT 1
)
SELECT s.run_id, s.target, s.dimension, s.slice, s.`rows` AS slice_rows, s.handled, s.handled_share,
       s.agreement_on_handled, s.deferred_gate, s.deferred_ood
FROM ${tables}.slices s
JOIN latest l ON s.run_id = l.run_id
WHERE s.dimension <> 'all'
ORDER BY s.handled_share ASC, s.`rows` DESC, s.slice ASC
LIMIT 20
