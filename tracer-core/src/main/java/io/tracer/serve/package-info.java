/**
 * The Spark-free router: loads a published policy's portable export (plain numeric arrays for
 * linear, MLP, naive Bayes and tree models; XGBoost's native model file) and routes one
 * embedding or a batch in the calling thread, with no SparkSession. Nothing in this package
 * imports Spark or Scala; it reads policies through Hadoop's FileSystem, so any Hadoop URI works.
 * It takes the same decisions as {@code io.tracer.route.BatchRouter}, out-of-distribution gate and
 * deferral reasons included ({@code io.tracer.route.RouteColumns}' codes, a constants-only class),
 * computing in double in the same order of operations as MLlib where practical.
 */
package io.tracer.serve;
