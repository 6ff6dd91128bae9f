package io.tracer.pipeline;

import io.tracer.Lineage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

/**
 * One candidate policy of a family: its stages, and the selection and calibration rows scored
 * by it (columns of {@link ScoredColumns} plus trace id, teacher label and its index; the index is
 * null for a calibration label outside the label index, and such a row never agrees).
 *
 * @param target the target the candidate was built for, or NaN when it serves every target
 *               (global and L2D are target-free; an RSB cascade's first-stage threshold is not)
 */
public record PipelineCandidate(Family family, String surrogate, String gate, List<PolicyStage> stages,
                                double target, Dataset<Row> selection, Dataset<Row> calibration) {

    public boolean servesTarget(double t) {
        return Double.isNaN(target) || target == t;
    }

    /**
     * The same candidate with its scored rows persisted once: they are counted, then read again
     * for the label coverage, the report and the summary, and an RSB cascade's rows are a second
     * surrogate and gate run over every row, too costly to recompute each time.
     */
    public PipelineCandidate persisted() {
        return new PipelineCandidate(family, surrogate, gate, stages, target, Lineage.persistCut(selection),
                Lineage.persistCut(calibration));
    }

    /** Name used in tables and logs, e.g. {@code l2d[lr-1e-3 + boosted]}. */
    public String label() {
        return family.id() + "[" + surrogate + (gate == null ? "" : " + " + gate) + "]";
    }
}
