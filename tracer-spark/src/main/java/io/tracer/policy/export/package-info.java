/**
 * Writes the portable (Spark-free) export of a policy stage at fit time, beside its MLlib models:
 * plain numeric arrays for logistic regression, the MLP (with its scaler), gaussian naive Bayes,
 * decision trees and random forests, and XGBoost's native model file. Spark side: it reads the
 * fitted MLlib models; {@code io.tracer.serve} reads what it writes without Spark. A model it
 * cannot export faithfully is refused with {@link io.tracer.policy.export.UnsupportedExportException},
 * never approximated.
 */
package io.tracer.policy.export;
