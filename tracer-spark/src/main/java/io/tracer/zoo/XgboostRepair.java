package io.tracer.zoo;

import ml.dmlc.xgboost4j.scala.spark.XGBoostClassificationModel;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import scala.Option;

/**
 * Works around an xgboost4j-spark 3.1.1 persistence bug: the model reader looks for a param
 * named "numClass" but the writer stores it as "num_class", so every loaded multiclass model
 * believes it is binary and emits 2-element probability vectors. The loaded num_class param is
 * right, so the model is rebuilt around the same booster with that class count.
 */
final class XgboostRepair {
    private XgboostRepair() {}

    static PipelineModel restoreNumClasses(PipelineModel loaded) {
        Transformer[] stages = loaded.stages().clone();
        boolean changed = false;
        for (int i = 0; i < stages.length; i++) {
            if (stages[i] instanceof XGBoostClassificationModel x && x.isDefined(x.numClass())
                    && x.getNumClass() > 2 && x.numClasses() != x.getNumClass()) {
                // The constructor is Scala private[spark] (public in bytecode); copy() keeps the
                // new class count and carries over every param value of the loaded model.
                XGBoostClassificationModel fixed = new XGBoostClassificationModel(
                        x.uid(), x.getNumClass(), x.nativeBooster(), Option.empty());
                stages[i] = fixed.copy(x.extractParamMap());
                changed = true;
            }
        }
        return changed ? new PipelineModel(loaded.uid(), stages) : loaded;
    }
}
