package io.tracer.policy.export;

import io.tracer.gate.ConfidenceFeatures;
import io.tracer.gate.GateModel;
import io.tracer.serve.NeighbourPurity;
import io.tracer.serve.PortableFormat;
import ml.dmlc.xgboost4j.scala.spark.XGBoostClassificationModel;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.feature.VectorSizeHint;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gate's section of the portable export: top1 (no model), constant (a trained gate whose agree
 * label had one value), logistic (binomial LR over the confidence features) or boosted (XGBoost
 * binary:logistic over confidence features + embedding); a trained gate with a neighbour input
 * reads it after the confidence features, and its reference goes in a float32 file beside.
 * The assembler's input order is checked against what the router computes.
 */
final class GateExport {
    private GateExport() {}

    static ExportedModel of(GateModel gate) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(PortableFormat.NAME, gate.name());
        Map<String, ExportedModel.NativeFile> files = new LinkedHashMap<>();
        if (gate.constantScore().isPresent()) {
            json.put(PortableFormat.KIND, PortableFormat.CONSTANT);
            json.put("value", gate.constantScore().getAsDouble());
            return new ExportedModel(json, files);
        }
        if (gate.pipeline().isEmpty()) {
            json.put(PortableFormat.KIND, PortableFormat.TOP1);
            return new ExportedModel(json, files);
        }
        PipelineModel p = gate.pipeline().get();
        VectorAssembler assembler = null;
        Transformer model = null;
        for (Transformer t : p.stages()) {
            if (t instanceof VectorSizeHint) {
                continue;
            } else if (t instanceof VectorAssembler a && assembler == null) {
                assembler = a;
            } else if (model == null && assembler != null) {
                model = t;
            } else {
                throw unsupported(gate, "pipeline stage " + t.getClass().getSimpleName());
            }
        }
        if (assembler == null || model == null) {
            throw unsupported(gate, "a pipeline without an assembler and a model " + Arrays.toString(p.stages()));
        }
        List<String> inputs = List.of(assembler.getInputCols());
        json.put("inputs", inputs);
        boolean neighbours = gate.neighbours().isPresent();
        if (neighbours) {
            NeighbourPurity n = gate.neighbours().get().purity();
            json.put(PortableFormat.NEIGHBOURS, n.describe(PortableFormat.GATE_NEIGHBOURS_FILE));
            files.put(PortableFormat.GATE_NEIGHBOURS_FILE, out -> out.write(n.referenceBytes()));
        }
        if (!PortableFormat.CONFIDENCE_INPUTS.equals(ConfidenceFeatures.ALL)) {
            throw new IllegalStateException("router confidence inputs " + PortableFormat.CONFIDENCE_INPUTS
                    + " differ from the gate's " + ConfidenceFeatures.ALL);
        }
        if (model instanceof LogisticRegressionModel lr) {
            if (lr.coefficientMatrix().numRows() != 1) {
                throw unsupported(gate, "a multinomial logistic gate");
            }
            requireInputs(gate, inputs, PortableFormat.gateInputs(neighbours, false));
            json.put(PortableFormat.KIND, PortableFormat.LOGISTIC);
            json.put("coefficients", lr.coefficients().toArray());
            json.put("intercept", lr.intercept());
        } else if (model instanceof XGBoostClassificationModel x) {
            if (!"binary:logistic".equals(x.getObjective())) {
                throw unsupported(gate, "XGBoost objective " + x.getObjective());
            }
            if (!Float.isNaN(x.getMissing())) {
                throw unsupported(gate, "XGBoost missing value " + x.getMissing());
            }
            requireInputs(gate, inputs, PortableFormat.gateInputs(neighbours, true));
            json.put(PortableFormat.KIND, PortableFormat.XGBOOST);
            json.put("file", PortableFormat.GATE_BOOSTER);
            files.put(PortableFormat.GATE_BOOSTER, out -> x.nativeBooster().saveModel(out, "ubj"));
        } else {
            throw unsupported(gate, "model " + model.getClass().getName());
        }
        return new ExportedModel(json, files);
    }

    private static void requireInputs(GateModel gate, List<String> inputs, List<String> expected) {
        if (!inputs.equals(expected)) {
            throw unsupported(gate, "inputs " + inputs + " (the router computes " + expected + ")");
        }
    }

    private static UnsupportedExportException unsupported(GateModel gate, String what) {
        return new UnsupportedExportException("gate " + gate.name() + " cannot be exported for the Spark-free router: "
                + what + " is not supported");
    }
}
