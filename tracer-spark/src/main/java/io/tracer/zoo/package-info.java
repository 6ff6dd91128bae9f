/**
 * Surrogates: the models that imitate the teacher.
 *
 * <p>{@link io.tracer.zoo.LabelIndex} fixes the label order; {@link io.tracer.zoo.SurrogateZoo} is the
 * registry of candidate {@link io.tracer.zoo.SurrogateSpec}s (the zoo never depends on what happens to
 * be installed); {@link io.tracer.zoo.SurrogatePipelines} turns a spec into a stock MLlib pipeline;
 * {@link io.tracer.zoo.ZooTrainer} runs cross-validated selection on the train split and returns the
 * refitted winner, a candidates table and the winner's out-of-fold predictions (the gates' training
 * data); {@link io.tracer.zoo.SurrogateModel} is a fitted surrogate that predicts, saves and loads.
 */
package io.tracer.zoo;
