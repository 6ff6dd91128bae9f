package io.tracer.serve;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Per-query latency of {@link SparkFreeRouter#route(float[])} in JMH's SampleTime mode (each call
 * timed), one thread, cycling over held-out embeddings ({@code bench-inputs.f32} beside the policy
 * directory, as {@link BenchPolicyMain} writes it; else random vectors of the encoder's size).
 *
 * <p>Run: {@code mvn -q -o test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test
 * "-Dexec.args=-cp %classpath io.tracer.serve.RouterLatencyBench <policy dir URI> [inputs file]"}.
 * Prints p50 and p99 in microseconds.
 *
 * <p>Why it stays in test scope: it needs JMH, a test-scope dependency the shipped jars do not
 * carry. Users measure the same p50/p99 with {@code tracer bench routing}
 * ({@code io.tracer.bench.RouterLatency}, a plain timing loop); this harness cross-checks that loop.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RouterLatencyBench {
    @Param("")
    public String policy;
    @Param("")
    public String inputs;

    private SparkFreeRouter router;
    private float[][] rows;
    private int next;

    @Setup
    public void setup() throws IOException {
        router = SparkFreeRouter.load(policy);
        int dim = router.manifest().encoder().dim();
        if (!inputs.isEmpty() && Files.exists(Path.of(inputs))) {
            try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(
                    Files.newInputStream(Path.of(inputs))))) {
                int n = in.readInt();
                int d = in.readInt();
                if (d != dim) {
                    throw new IllegalStateException("inputs have dim " + d + ", the policy " + dim);
                }
                rows = new float[n][d];
                for (float[] r : rows) {
                    for (int j = 0; j < d; j++) {
                        r[j] = in.readFloat();
                    }
                }
            }
        } else {
            Random rnd = new Random(1);
            rows = new float[1000][dim];
            for (float[] r : rows) {
                for (int j = 0; j < dim; j++) {
                    r[j] = (float) (rnd.nextGaussian() * 0.05);
                }
            }
        }
    }

    @Benchmark
    public Decision route() {
        float[] x = rows[next];
        next = next + 1 == rows.length ? 0 : next + 1;
        return router.route(x);
    }

    public static void main(String[] args) throws RunnerException {
        String policy = args[0];
        String inputs = args.length > 1 ? args[1] : "";
        Options opt = new OptionsBuilder()
                .include(RouterLatencyBench.class.getName() + ".route")
                .param("policy", policy)
                .param("inputs", inputs)
                .forks(1)
                .threads(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(3))
                .measurementIterations(5).measurementTime(TimeValue.seconds(4))
                .build();
        Collection<RunResult> results = new Runner(opt).run();
        for (RunResult r : results) {
            Statistics s = r.getPrimaryResult().getStatistics();
            System.out.printf("route(float[]) latency over %d samples: p50 %.1f us, p90 %.1f us, p99 %.1f us, "
                            + "p99.9 %.1f us, mean %.1f us%n", s.getN(), s.getPercentile(50), s.getPercentile(90),
                    s.getPercentile(99), s.getPercentile(99.9), s.getMean());
        }
    }
}
