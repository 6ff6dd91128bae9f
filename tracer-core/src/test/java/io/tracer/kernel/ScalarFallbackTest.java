package io.tracer.kernel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM started without {@code --add-modules=jdk.incubator.vector} (a consumer that did not read
 * the README) still computes, on the scalar loops: the SIMD class is never loaded. Runs
 * {@link Main} in a child JVM with this test's classpath and no module flag.
 */
class ScalarFallbackTest {

    @Test
    void withoutTheModuleTheKernelRunsScalarLoops() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().filter(l -> l.startsWith("kernel ")).toList();
        assertEquals(List.of("kernel scalar " + Double.doubleToLongBits(Main.affineSum(DenseMaths.scalar()))), lines, out);
    }

    @Test
    void theSystemPropertyForcesScalarLoops() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "--add-modules=jdk.incubator.vector",
                "-D" + DenseMaths.SIMD_PROPERTY + "=false", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("kernel scalar ")), out);
    }

    /** Prints the math it got and the bits of a sum it computed. */
    public static final class Main {
        public static void main(String[] args) {
            System.out.println("kernel " + DenseMaths.best().describe() + " " + Double.doubleToLongBits(affineSum(DenseMaths.best())));
        }

        /** A small affine map on fixed inputs, summed: scalar loops give the same bits anywhere. */
        static double affineSum(DenseMath math) {
            int n = 3, ins = 11, outs = 5;
            double[] x = new double[n * ins], w = new double[outs * ins], b = new double[outs];
            for (int i = 0; i < x.length; i++) {
                x[i] = StrictMath.sin(i + 1);
            }
            for (int i = 0; i < w.length; i++) {
                w[i] = StrictMath.cos(i + 2);
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = i * 0.25;
            }
            double[] y = new double[n * outs];
            math.affine(x, n, ins, w, b, outs, y);
            double s = 0;
            for (double v : y) {
                s += v;
            }
            return s;
        }
    }
}
