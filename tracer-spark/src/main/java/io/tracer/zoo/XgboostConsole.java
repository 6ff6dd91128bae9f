package io.tracer.zoo;

import io.tracer.log.LogLevels;
import ml.dmlc.xgboost4j.scala.spark.XGBoostClassifier;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.Arrays;

/**
 * Keeps XGBoost off the console unless library chatter is on ({@link LogLevels#libraryChatter()},
 * e.g. {@code TRACER_LOG_LEVEL=debug}). Every XGBoost estimator is built through
 * {@link #quiet(XGBoostClassifier)}: the zoo's xgb surrogates and the boosted gate.
 *
 * <p>What it silences: xgboost4j prints every round's evaluation ({@code [41] train-logloss:0.29})
 * from native code, not through a logger: 400 console lines per boosted gate. It skips the print
 * when the booster parameters carry {@code verbose_eval = 0}, but xgboost4j-spark 3.1 only passes
 * on the parameters its estimator declares, and {@code verbose_eval} is not one of them. A Java
 * subclass cannot declare it (javac refuses to subclass the Scala class: its setters are
 * erased bridges), so this adds the parameter to the estimator instance's Spark parameter list
 * (the {@code params} array {@code PipelineStage} caches) and sets it. {@code verbosity = 0}
 * also turns off XGBoost's native warnings.
 *
 * <p>Neither changes the model: the evaluation is still computed (the training summary keeps
 * it), only not printed; {@code verbose_eval} stays on the estimator (the fitted model does not
 * declare it, so it is not copied there or saved). If the parameter cannot be added (a Spark
 * whose {@code PipelineStage} keeps its parameter list elsewhere), the evaluation prints as before.
 */
public final class XgboostConsole {
    private static final Logger LOG = LoggerFactory.getLogger(XgboostConsole.class);
    /** xgboost4j's switch for the per-round evaluation print: every N rounds, 0 never. */
    static final String VERBOSE_EVAL = "verbose_eval";

    private XgboostConsole() {}

    /** {@code x}, quiet unless library chatter is on. */
    public static XGBoostClassifier quiet(XGBoostClassifier x) {
        if (LogLevels.libraryChatter()) {
            return x;
        }
        x.setVerbosity(0);
        IntParam verboseEval = declare(x, VERBOSE_EVAL,
                "print the training evaluation every N rounds; 0: never (read by xgboost4j, see XgboostConsole)");
        if (verboseEval != null) {
            x.set(verboseEval, (Object) 0);
        }
        return x;
    }

    /** Adds an int parameter to {@code stage}'s own parameter list; null when that cannot be done. */
    static IntParam declare(PipelineStage stage, String name, String doc) {
        try {
            Param<?>[] current = stage.params();  // computes and caches the lazy list
            IntParam param = new IntParam(stage, name, doc);
            Param<?>[] extended = Arrays.copyOf(current, current.length + 1);
            extended[current.length] = param;
            Field cached = PipelineStage.class.getDeclaredField("params");
            cached.setAccessible(true);
            cached.set(stage, extended);
            return stage.hasParam(name) ? param : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("cannot declare {} on {}: {}; XGBoost prints its evaluation", name, stage.uid(), e.toString());
            return null;
        }
    }
}
