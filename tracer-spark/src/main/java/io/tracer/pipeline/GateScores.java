package io.tracer.pipeline;

import io.tracer.Columns;
import io.tracer.gate.GateModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Scores predicted rows with several gates at once, one {@code gate_<name>} column each. */
public final class GateScores {
    private GateScores() {}

    public static String column(String gate) {
        return "gate_" + gate;
    }

    /** Adds {@code gate_<name>} for every gate; any helper columns a gate adds are dropped. */
    public static Dataset<Row> addAll(Dataset<Row> predicted, Map<String, GateModel> gates) {
        Dataset<Row> out = predicted;
        for (Map.Entry<String, GateModel> g : gates.entrySet()) {
            out = add(out, g.getValue(), column(g.getKey()));
        }
        return out;
    }

    public static Dataset<Row> add(Dataset<Row> predicted, GateModel gate, String outputColumn) {
        Set<String> before = new HashSet<>(Arrays.asList(predicted.columns()));
        Dataset<Row> scored = gate.score(predicted).withColumnRenamed(Columns.ACCEPT_SCORE, outputColumn);
        String[] extra = Arrays.stream(scored.columns())
                .filter(c -> !before.contains(c) && !c.equals(outputColumn))
                .toArray(String[]::new);
        return scored.drop(extra);
    }
}
