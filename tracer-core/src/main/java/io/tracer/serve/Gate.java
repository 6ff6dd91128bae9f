package io.tracer.serve;

/** A stage's gate: the accept score in [0, 1] of the surrogate's answer, for each row of a block. */
interface Gate {

    /**
     * @param probability the surrogate's probabilities over the whole label space, n x k
     * @param k           the label space's size
     * @param rows        the block (the embedding)
     * @param scores      n accept scores (written)
     * @param unscorable  null for every row on entry; set to the reason where a row cannot be
     *                    scored the way the fit's Spark scoring would (its score is then NaN)
     */
    void score(double[] probability, int k, FeatureRows rows, Workspace workspace, double[] scores,
               String[] unscorable);

    /** The raw top-1 probability; nothing fitted. */
    Gate TOP1 = (probability, k, rows, workspace, scores, unscorable) -> {
        for (int i = 0; i < rows.n(); i++) {
            scores[i] = Confidence.top1(probability, i * k, k);
        }
    };

    /** A trained gate whose agree label had one value: every row scores that value. */
    static Gate constant(double value) {
        return (probability, k, rows, workspace, scores, unscorable) ->
                java.util.Arrays.fill(scores, 0, rows.n(), value);
    }
}
