package io.tracer.kernel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Chooses the {@link DenseMath} of this JVM once, at first use.
 *
 * <p>The Vector API is an incubator module in Java 17: it is there only when the JVM starts with
 * {@code --add-modules=jdk.incubator.vector} (jobs/tracer, the test runs and the documented
 * spark-submit options pass it). Without it the SIMD class cannot even be loaded, so it is
 * reached by reflection only after the module is seen in the boot layer, and any failure to load
 * it falls back to {@link ScalarDenseMath}: the core jar works on any Java 17, only slower.
 * {@code -Dtracer.kernel.simd=false} forces the scalar path (to compare the two, or to rule
 * SIMD out).
 */
public final class DenseMaths {
    private static final Logger LOG = LoggerFactory.getLogger(DenseMaths.class);
    public static final String VECTOR_MODULE = "jdk.incubator.vector";
    /** System property; false forces the scalar loops. */
    public static final String SIMD_PROPERTY = "tracer.kernel.simd";
    private static final String SIMD_CLASS = "io.tracer.kernel.VectorDenseMath";

    private static final Optional<DenseMath> SIMD = loadSimd();
    private static final DenseMath BEST = chooseBest();

    private DenseMaths() {}

    /** The math routing uses: SIMD when the Vector API is there and not switched off, else scalar. */
    public static DenseMath best() {
        return BEST;
    }

    /** The plain loops, always available. */
    public static DenseMath scalar() {
        return ScalarDenseMath.INSTANCE;
    }

    /** The Vector API path, when this JVM has the module. */
    public static Optional<DenseMath> simd() {
        return SIMD;
    }

    private static Optional<DenseMath> loadSimd() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of((DenseMath) Class.forName(SIMD_CLASS).getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            LOG.warn("the scoring kernel cannot use {} ({}); it runs scalar loops", VECTOR_MODULE, e.toString());
            return Optional.empty();
        }
    }

    private static DenseMath chooseBest() {
        boolean allowed = Boolean.parseBoolean(System.getProperty(SIMD_PROPERTY, "true"));
        DenseMath chosen = allowed && SIMD.isPresent() ? SIMD.get() : ScalarDenseMath.INSTANCE;
        if (SIMD.isEmpty()) {
            LOG.info("scoring kernel: scalar loops (start the JVM with --add-modules={} for SIMD)", VECTOR_MODULE);
        } else {
            LOG.debug("scoring kernel: {}", chosen.describe());
        }
        return chosen;
    }
}
