-- Candidates of the latest succeeded run: surrogates and gates by cross-validated score.
-- Placeholder: ${lakehouse} = the lakehouse root (tracer.lakehouse.root).
WITH latest AS (
  SELECT run_id
  FROM delta.`${lakehouse}/runs`
  WHERE status = 'succeeded'
  ORDER BY started_at DESC
  LIMIT 1
)
SELECT c.run_id, c.kind, c.stage, c.name, c.selected, c.metric, c.mean, c.std, c.accuracy,
       c.macro_f1, c.auc_selection, c.fit_seconds
FROM delta.`${lakehouse}/candidates` c
JOIN latest l ON c.run_id = l.run_id
ORDER BY c.kind, c.stage, c.mean DESC NULLS LAST, c.name
