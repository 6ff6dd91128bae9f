-- Coverage trend: for each succeeded run and target, the deployed policy (the frontier row the
-- target's sequence certified) and the share of calibration traffic it handles (0 when nothing
-- was deployed at that target; then the row shown is the selected one, with its reason). Rows
-- written before standalone_pass existed mark every passing candidate certified: there the
-- deployed row is the selected certified one.
-- Placeholder: ${tables} = the table prefix (tracer.lakehouse.catalog, e.g. main.tracer; see the notebook).
SELECT run_id, started_at, target, family, surrogate, gate, certified,
       CASE WHEN certified THEN coverage_cal ELSE 0.0 END AS certified_coverage,
       agreement_cal, agreement_lower, calibration_rows
FROM (
  SELECT r.run_id, r.started_at, f.target, f.family, f.surrogate, f.gate, f.certified, f.coverage_cal,
         f.agreement_cal, f.agreement_lower, f.calibration_rows,
         row_number() OVER (PARTITION BY f.run_id, f.target
                            ORDER BY (f.certified AND (f.standalone_pass IS NOT NULL OR f.selected)) DESC,
                                     f.selected DESC, f.family, f.gate) AS pick
  FROM ${tables}.runs r
  JOIN ${tables}.frontier f ON f.run_id = r.run_id
  WHERE r.status = 'succeeded'
) picked
WHERE pick = 1
ORDER BY target, started_at
