/**
 * Routing without Spark, and the scoring kernel both routers run. {@link io.tracer.serve.PortablePolicy}
 * holds a published policy's portable export (plain numeric arrays for linear, MLP, naive Bayes
 * and tree models; XGBoost's native model file) and OOD gate as bytes;
 * {@link io.tracer.serve.PolicyKernel} builds the models from it and routes blocks of embeddings
 * (each model scores a whole block: one matrix product for linear models and MLP layers, one
 * XGBoost prediction call), and {@link io.tracer.serve.SparkFreeRouter} routes one embedding (a
 * block of one) or a batch in the calling thread, with no SparkSession. Spark's
 * {@code tracer route} runs the same kernel per partition, so the two routers decide alike by
 * construction. Nothing here imports Spark or Scala; policies are read through Hadoop's
 * FileSystem, so any Hadoop URI works. Scores are computed in double in MLlib's order of
 * operations, except that the dense sums may add in another order (SIMD lanes): scores then
 * differ from MLlib's in the last bits only.
 */
package io.tracer.serve;
