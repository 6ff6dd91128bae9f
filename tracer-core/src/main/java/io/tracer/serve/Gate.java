package io.tracer.serve;

/** A stage's gate: the accept score in [0, 1] of the surrogate's answer for one row. */
interface Gate {

    /**
     * @param probability the surrogate's probability over the whole label space
     * @param x           the feature vector (the embedding)
     * @throws Unroutable when this row cannot be scored the way Spark would score it
     */
    double score(double[] probability, double[] x);

    /** The raw top-1 probability; nothing fitted. */
    Gate TOP1 = (probability, x) -> Confidence.of(probability)[0];

    /** A row the router will not score; it is deferred with the reason. */
    final class Unroutable extends RuntimeException {
        Unroutable(String reason) {
            super(reason, null, false, false);
        }
    }
}
