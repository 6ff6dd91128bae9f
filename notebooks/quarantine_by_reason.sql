-- Refused trace rows per run and reason, with how many source files they came from.
-- Placeholder: ${lakehouse} = the lakehouse root (tracer.lakehouse.root).
SELECT q.run_id, q.reason, count(*) AS rows_refused, count(DISTINCT q.source_file) AS files
FROM delta.`${lakehouse}/quarantine` q
GROUP BY q.run_id, q.reason
ORDER BY q.run_id DESC, rows_refused DESC
