package io.tracer.zoo;

import ml.dmlc.xgboost4j.scala.spark.XGBoostClassifier;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class XgboostConsoleTest {

    @Test
    void theQuietEstimatorPassesVerboseEvalZeroToXgboost() {
        XGBoostClassifier x = XgboostConsole.quiet(new XGBoostClassifier());
        scala.collection.immutable.Map<String, Object> params = x.getXGBoostParams();
        assertEquals(0, params.get(XgboostConsole.VERBOSE_EVAL).get(), params.toString());
        assertEquals(0, params.get("verbosity").get());
        assertTrue(x.hasParam(XgboostConsole.VERBOSE_EVAL));
        assertFalse(new XGBoostClassifier().getXGBoostParams().contains(XgboostConsole.VERBOSE_EVAL),
                "only the instance that was made quiet declares it");
    }
}
