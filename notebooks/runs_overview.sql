-- Recent runs: what ran, on which traces, how many rows were read and refused, what it published.
-- Placeholder: ${tables} = the table prefix (tracer.lakehouse.catalog, e.g. main.tracer; see the notebook).
SELECT run_id, command, status, started_at, finished_at,
       round((unix_timestamp(finished_at) - unix_timestamp(started_at)) / 60.0, 1) AS minutes,
       traces_uri, rows_read, rows_valid, rows_quarantined, policy_uri, message
FROM ${tables}.runs
ORDER BY started_at DESC
LIMIT 50
