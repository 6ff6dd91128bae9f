package io.tracer.serve;

import java.util.Random;

/**
 * Times {@link NeighbourPurity} per query, one thread, on random data of B1's size (77 labels,
 * rows per label as given, 384 dimensions, 5 neighbours among the top 3 labels' rows; a label's
 * rows contiguous, as the fit's reference orders them). Not a test: run it alone,
 * after {@code mvn -B package -DskipTests}:
 * {@code java -cp tracer-core/target/classes:tracer-core/target/test-classes io.tracer.serve.NeighbourPurityBench 78}
 */
public final class NeighbourPurityBench {
    private NeighbourPurityBench() {}

    public static void main(String[] args) {
        int labels = 77;
        int perLabel = args.length > 0 ? Integer.parseInt(args[0]) : 78;
        int dim = 384;
        int n = labels * perLabel;
        Random rnd = new Random(1);
        float[] raw = new float[n * dim];
        float[] reference = new float[n * dim];
        int[] rowLabels = new int[n];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            NeighbourPurity.normalise(raw, i * dim, dim, reference, i * dim);
            rowLabels[i] = i / perLabel;
        }
        NeighbourPurity kernel = new NeighbourPurity(reference, rowLabels, labels, dim, 5, 3);
        int queries = 2000;
        float[] rows = new float[queries * dim];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (float) rnd.nextGaussian();
        }
        double[] p = new double[queries * labels];
        for (int i = 0; i < p.length; i++) {
            p[i] = rnd.nextDouble();
        }
        float[] scratch = new float[dim];
        double sink = 0;
        for (int rep = 0; rep < 8; rep++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < queries; i++) {
                sink += kernel.ofRaw(rows, i, p, i * labels, labels, scratch);
            }
            System.out.printf("%d rows a label, pass %d: %.2f us a query%n", perLabel, rep,
                    (System.nanoTime() - t0) / 1e3 / queries);
        }
        System.out.println("checksum " + sink);
    }
}
