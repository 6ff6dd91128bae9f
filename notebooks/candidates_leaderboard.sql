-- Candidates of the latest succeeded run: every surrogate fit (search rungs, the finalists'
-- cross-fits, the winner's final fit) with the rows it saw, and the gates by AUC.
-- Placeholder: ${tables} = the table prefix (tracer.lakehouse.catalog, e.g. main.tracer; see the notebook).
WITH latest AS (
  SELECT run_id
  FROM ${tables}.runs
  WHERE status = 'succeeded'
  ORDER BY started_at DESC
  LIMIT 1
)
SELECT c.run_id, c.kind, c.stage, c.phase, c.rung, c.name, c.selected, c.train_rows, c.eval_rows,
       c.metric, c.mean, c.std, c.accuracy, c.macro_f1, c.auc_selection, c.fit_seconds,
       c.iterations, c.converged
FROM ${tables}.candidates c
JOIN latest l ON c.run_id = l.run_id
ORDER BY c.kind, c.stage, c.phase DESC, c.rung DESC NULLS LAST, c.mean DESC NULLS LAST, c.name
