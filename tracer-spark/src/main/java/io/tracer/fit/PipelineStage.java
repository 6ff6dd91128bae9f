package io.tracer.fit;

import io.tracer.config.TracerConfig;
import io.tracer.gate.GateModel;
import io.tracer.pipeline.CandidateCounter;
import io.tracer.pipeline.CandidateCounts;
import io.tracer.pipeline.SingleStageFamilies;
import io.tracer.zoo.SurrogateModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stage pipelines: the one-stage families (Global, and L2D with each gate) as candidate
 * policies, with their threshold counts on selection and calibration (only counts per
 * threshold bin leave the partitions).
 */
public final class PipelineStage implements FitStage<ScoredSplits, CountedCandidates> {
    private final TracerConfig config;

    public PipelineStage(TracerConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "pipelines";
    }

    @Override
    public String describe(ScoredSplits scored) {
        return "build and count the " + config.pipeline().families() + " families";
    }

    @Override
    public long rows(ScoredSplits scored, CountedCandidates counted) {
        return scored.data().selectionRows() + scored.data().calibrationRows();
    }

    @Override
    public CountedCandidates run(ScoredSplits scored) {
        CandidateCounter counter = new CandidateCounter(config.calibrate().gridSize());
        SurrogateModel surrogate = scored.models().gates().surrogate().published();
        List<String> families = config.pipeline().families();
        List<CandidateCounts> counted = new ArrayList<>();
        if (families.contains("global")) {
            counted.add(counter.count(SingleStageFamilies.global(surrogate, scored.selection(), scored.calibration())));
        }
        List<CandidateCounts> l2d = new ArrayList<>();
        if (families.contains("l2d") || families.contains("rsb")) {
            for (Map.Entry<String, GateModel> g : scored.models().gates().gates().entrySet()) {
                l2d.add(counter.count(SingleStageFamilies.l2d(surrogate, g.getKey(), g.getValue(),
                        scored.selection(), scored.calibration())));
            }
        }
        if (families.contains("l2d")) {
            counted.addAll(l2d);
        }
        return new CountedCandidates(scored, counted, l2d);
    }
}
