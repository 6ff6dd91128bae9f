-- Worst labels of the latest succeeded run: per target, the ten teacher labels the selected
-- policy handles least (lowest handled share; the larger label first on ties).
-- Placeholder: ${tables} = the table prefix (tracer.lakehouse.catalog, e.g. main.tracer; see the notebook).
WITH latest AS (
  SELECT run_id
  FROM ${tables}.runs
  WHERE status = 'succeeded'
  ORDER BY started_at DESC
  LIMIT 1
),
ranked AS (
  SELECT c.run_id, c.target, c.label, c.`rows` AS label_rows, c.handled, c.handled_share,
         c.agreeing, c.agreement_on_handled,
         row_number() OVER (PARTITION BY c.target
                            ORDER BY c.handled_share ASC, c.`rows` DESC, c.label ASC) AS worst_rank
  FROM ${tables}.label_coverage c
  JOIN latest l ON c.run_id = l.run_id
)
SELECT run_id, target, worst_rank, label, label_rows, handled, handled_share, agreeing,
       agreement_on_handled
FROM ranked
WHERE worst_rank <= 10
ORDER BY target, worst_rank
