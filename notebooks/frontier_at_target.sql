-- Frontier at one target for the latest succeeded run: every candidate's row, the deployed
-- (certified) one first, then the selected one. Only the certified row is a certificate; the
-- others show each candidate's own run on calibration, for information.
-- Placeholders: ${tables} = the table prefix (tracer.lakehouse.catalog, e.g. main.tracer; see the notebook);
--               ${target} = the agreement target, e.g. 0.95.
WITH latest AS (
  SELECT run_id
  FROM ${tables}.runs
  WHERE status = 'succeeded'
  ORDER BY started_at DESC
  LIMIT 1
)
SELECT f.run_id, f.target, f.delta, f.family, f.surrogate, f.gate, f.selected, f.certified,
       f.sequence_role, f.standalone_pass, f.threshold, f.coverage_cal, f.agreement_cal,
       f.agreement_lower, f.p_value, f.accepted, f.agreeing, f.calibration_rows,
       f.coverage_selection, f.reason
FROM ${tables}.frontier f
JOIN latest l ON f.run_id = l.run_id
WHERE abs(f.target - ${target}) < 1e-9
ORDER BY (f.certified AND (f.standalone_pass IS NOT NULL OR f.selected)) DESC, f.selected DESC,
         f.coverage_cal DESC NULLS LAST, f.family
