/**
 * Jobs: each takes a SparkSession and a config in its constructor (never builds a session)
 * and strings the stages together in data-flow order, labelling each phase with a Spark job
 * group so the Spark UI reads like the pipeline.
 */
package io.tracer.job;
