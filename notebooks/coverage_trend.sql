-- Coverage trend: for each succeeded run and target, the selected policy and the share of
-- calibration traffic it certifies (0 when nothing was certified at that target).
-- Placeholder: ${tables} = the table prefix (tracer.lakehouse.catalog, e.g. main.tracer; see the notebook).
SELECT r.run_id, r.started_at, f.target, f.family, f.surrogate, f.gate, f.certified,
       CASE WHEN f.certified THEN f.coverage_cal ELSE 0.0 END AS certified_coverage,
       f.agreement_cal, f.agreement_lower, f.calibration_rows
FROM ${tables}.runs r
JOIN ${tables}.frontier f ON f.run_id = r.run_id
WHERE r.status = 'succeeded' AND f.selected
ORDER BY f.target, r.started_at
