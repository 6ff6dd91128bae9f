-- Audit violations: where a published policy's agreement on later traces fell significantly
-- below its target (rows written by tracer audit), most significant first.
-- Placeholder: ${tables} = the table prefix (tracer.lakehouse.catalog, e.g. main.tracer; see the notebook).
SELECT a.run_id, a.policy_version, a.target, a.scope, a.label, a.handled_share, a.agreement,
       a.ci_lower, a.ci_upper, a.p_value
FROM ${tables}.audit a
WHERE a.violated
ORDER BY a.p_value ASC, a.run_id DESC
