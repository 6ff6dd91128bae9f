/**
 * Auditing a deployed policy on live traffic: the traffic is routed again with the policy
 * (routing is deterministic), the handled rows the teacher also labelled (the shadow sample) are
 * compared with the surrogate's answers, and an exact binomial test says whether agreement is
 * significantly below the target. {@link io.tracer.audit.AgreementCheck} is the plain-Java
 * statistics; {@link io.tracer.audit.AuditJob} the Spark job that writes the audit table.
 */
package io.tracer.audit;
