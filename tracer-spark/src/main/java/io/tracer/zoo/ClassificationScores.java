package io.tracer.zoo;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Accuracy and macro-F1 against the teacher, from confusion counts (truth, prediction, count)
 * that Spark aggregates and the driver collects (at most K² small rows). Macro-F1 averages over
 * the labels that occur as truth or as prediction, as scikit-learn does by default.
 */
public record ClassificationScores(long rows, double accuracy, double macroF1) {

    /** One confusion cell. */
    public record Cell(int truth, int prediction, long count) {}

    public static ClassificationScores of(List<Cell> cells) {
        long total = 0;
        long correct = 0;
        Map<Integer, Long> tp = new HashMap<>();
        Map<Integer, Long> truthCount = new HashMap<>();
        Map<Integer, Long> predCount = new HashMap<>();
        Set<Integer> labels = new HashSet<>();
        for (Cell c : cells) {
            total += c.count();
            labels.add(c.truth());
            labels.add(c.prediction());
            truthCount.merge(c.truth(), c.count(), Long::sum);
            predCount.merge(c.prediction(), c.count(), Long::sum);
            if (c.truth() == c.prediction()) {
                correct += c.count();
                tp.merge(c.truth(), c.count(), Long::sum);
            }
        }
        if (total == 0) {
            return new ClassificationScores(0, Double.NaN, Double.NaN);
        }
        double f1Sum = 0;
        for (int label : labels) {
            long t = tp.getOrDefault(label, 0L);
            long denom = truthCount.getOrDefault(label, 0L) + predCount.getOrDefault(label, 0L);
            f1Sum += denom == 0 ? 0.0 : 2.0 * t / denom;
        }
        return new ClassificationScores(total, (double) correct / total, f1Sum / labels.size());
    }

    /** The configured selection metric: "accuracy" or "macro-f1". */
    public double metric(String name) {
        return "accuracy".equals(name) ? accuracy : macroF1;
    }
}
