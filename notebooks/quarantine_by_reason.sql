-- Refused trace rows per run and reason, with how many source files they came from.
-- Placeholder: ${tables} = the table prefix (tracer.lakehouse.catalog, e.g. main.tracer; see the notebook).
SELECT q.run_id, q.reason, count(*) AS rows_refused, count(DISTINCT q.source_file) AS files
FROM ${tables}.quarantine q
GROUP BY q.run_id, q.reason
ORDER BY q.run_id DESC, rows_refused DESC
