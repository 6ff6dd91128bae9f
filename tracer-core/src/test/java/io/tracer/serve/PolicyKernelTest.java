package io.tracer.serve;

import io.tracer.kernel.DenseMath;
import io.tracer.kernel.DenseMaths;
import io.tracer.policy.DeferralReason;
import io.tracer.policy.PolicyManifest.Method;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.tracer.serve.TestPolicies.D;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scoring kernel on policies of every model kind: a row gets the same decision (bit for bit)
 * routed alone, in a block of seven or in one block of all rows; the SIMD and the scalar loops
 * take the same decisions with scores equal to rounding; and the rules themselves: unseen widths,
 * method none, the OOD gate, the cascade's NaN rule, unscorable rows.
 */
class PolicyKernelTest {
    private final TestPolicies t = new TestPolicies();
    /** Rows near the centroids, a few far ones, plus rows of a wrong width and a missing one. */
    private final List<float[]> rows = traffic();

    private List<float[]> traffic() {
        List<float[]> out = new ArrayList<>(Arrays.asList(t.rows(300, 0.7)));
        for (float[] far : t.rows(20, 0.7)) {
            for (int j = 0; j < D; j++) {
                far[j] = far[j] * 4 + 3;
            }
            out.add(far);
        }
        out.add(new float[D + 1]);
        out.add(new float[D - 1]);
        out.add(null);
        return out;
    }

    @Test
    void logisticWithLogisticGate() {
        checkKind(Method.L2D, t.logistic(), TestPolicies.logisticGate(), new HashMap<>());
    }

    @Test
    void mlpWithTop1Gate() {
        checkKind(Method.L2D, t.mlp(), TestPolicies.top1(), new HashMap<>());
    }

    @Test
    void naiveBayesOverAPartialLabelSet() {
        checkKind(Method.L2D, t.naiveBayes(), TestPolicies.top1(), new HashMap<>());
    }

    @Test
    void forestAndTree() {
        checkKind(Method.L2D, t.trees(true), TestPolicies.logisticGate(), new HashMap<>());
        checkKind(Method.L2D, t.trees(false), TestPolicies.top1(), new HashMap<>());
    }

    @Test
    void xgboostWithTheBoostedGate() {
        Map<String, byte[]> files = new HashMap<>();
        checkKind(Method.L2D, t.xgboost(files), t.boostedGate(files), files);
    }

    @Test
    void globalWithTheOodGate() {
        PortablePolicy p = t.policy(Method.GLOBAL, 1.0,
                List.of(TestPolicies.stage(1, 1.0, t.logistic(), null, Map.of())), true);
        List<Decision> d = sameEverywhere(p);
        long ood = d.stream().filter(x -> DeferralReason.OUT_OF_DISTRIBUTION.equals(x.reason())).count();
        long handled = d.stream().filter(Decision::handled).count();
        assertTrue(ood >= 20 && handled > 0, "ood " + ood + ", handled " + handled);
        assertEquals(rows.size(), handled + ood + 3, "global defers only OOD and unseen widths");
        Decision far = d.get(310);
        assertEquals(DeferralReason.OUT_OF_DISTRIBUTION, far.reason());
        assertEquals(1.0, far.score(), "the score is still reported");
        assertTrue(far.detail().matches("distance \\d+\\.\\d{4} to the train centroid of the predicted label "
                + "exceeds -?\\d+\\.\\d{4}"), far.detail());
    }

    @Test
    void rsbCascadeAndItsNanRule() {
        PortablePolicy probe = t.policy(Method.L2D, 0.0,
                List.of(TestPolicies.stage(1, 0.0, t.logistic(), TestPolicies.top1(), Map.of())), false);
        double t1 = betweenScores(route(PolicyKernel.build(probe), rows, rows.size()), 0.5);
        PortablePolicy p = t.policy(Method.RSB, 0.5, List.of(
                TestPolicies.stage(1, t1, t.logistic(), TestPolicies.top1(), Map.of()),
                TestPolicies.stage(2, 0.5, t.trees(true), TestPolicies.top1(), Map.of())), false);
        List<Decision> d = sameEverywhere(p);
        assertTrue(d.stream().anyMatch(x -> x.stage() == 1) && d.stream().anyMatch(x -> x.stage() == 2),
                "both stages handle rows");
        for (Decision x : d) {
            if (x.stage() == 1) {
                assertTrue(x.score() >= 1 + t1, x.toString());
            } else if (x.stage() == 2) {
                assertTrue(x.score() >= 0.5 && x.score() <= 1, x.toString());
            }
        }
        // A NaN coordinate makes the first stage's score NaN: never accepted there, the row goes to
        // stage 2, whose trees send NaN right and score it like any row.
        float[] withNan = t.rows(1, 0.1)[0];
        withNan[0] = Float.NaN;
        BlockRouter router = PolicyKernel.build(p).newBlockRouter(1);
        router.input().add(withNan);
        Decision nan = router.route().decision(0);
        assertFalse(Double.isNaN(nan.score()), "stage 2 scored it: " + nan);
        assertTrue(nan.score() <= 1.0, "a stage-2 score: " + nan);
        assertEquals(nan.handled() ? 2 : 0, nan.stage(), nan.toString());
    }

    @Test
    void unseenWidthsAndMissingEmbeddings() {
        PortablePolicy p = t.policy(Method.L2D, 0.0,
                List.of(TestPolicies.stage(1, 0.0, t.logistic(), TestPolicies.top1(), Map.of())), false);
        List<Decision> d = sameEverywhere(p);
        assertEquals(new Decision(false, null, Double.NaN, 0, DeferralReason.UNSEEN_FEATURE_WIDTH,
                "embedding width 24; the policy's models read 23"), d.get(320));
        assertEquals("embedding width 22; the policy's models read 23", d.get(321).detail());
        assertEquals("embedding width -1; the policy's models read 23", d.get(322).detail());
        assertTrue(d.subList(0, 320).stream().allMatch(Decision::handled), "threshold 0 handles every scored row");
    }

    @Test
    void noneDefersEverythingWithTheReason() {
        PortablePolicy p = t.policy(Method.NONE, Double.NaN, List.of(), false);
        for (Decision x : sameEverywhere(p)) {
            assertEquals(new Decision(false, null, Double.NaN, 0, DeferralReason.NO_POLICY,
                    "no policy certified: nothing certified here"), x);
        }
    }

    @Test
    void aMostlyZeroRowIsUnscorableForTheBoostedGateAndTheRestScore() {
        Map<String, byte[]> files = new HashMap<>();
        Map<String, Object> surrogate = t.xgboost(files);
        PortablePolicy p = t.policy(Method.L2D, 0.5,
                List.of(TestPolicies.stage(1, 0.5, surrogate, t.boostedGate(files), files)), false);
        BlockRouter router = PolicyKernel.build(p).newBlockRouter(3);
        float[][] good = t.rows(2, 0.5);
        router.input().add(good[0]);
        router.input().add(new float[D]);
        router.input().add(good[1]);
        RoutedBlock out = router.route();
        assertEquals(DeferralReason.UNSCORABLE, out.reason(1));
        assertFalse(out.scored(1));
        assertTrue(out.detail(1).startsWith("boosted gate input has only "), out.detail(1));
        assertTrue(out.scored(0) && out.scored(2));
        assertFalse(Double.isNaN(out.score(0)) || Double.isNaN(out.score(2)));
    }

    @Test
    void aPolicyWithoutTheGateItsMethodNeedsIsRefused() {
        PortablePolicy p = t.policy(Method.L2D, 0.5,
                List.of(TestPolicies.stage(1, 0.5, t.logistic(), null, Map.of())), false);
        RouterException e = assertThrows(RouterException.class, () -> PolicyKernel.build(p));
        assertTrue(e.getMessage().contains("has no gate"), e.getMessage());
        PortablePolicy rsb = t.policy(Method.RSB, 0.5,
                List.of(TestPolicies.stage(1, 0.5, t.logistic(), TestPolicies.top1(), Map.of())), false);
        assertTrue(assertThrows(RouterException.class, () -> PolicyKernel.build(rsb)).getMessage()
                .contains("expected 2"));
    }

    // ---------------------------------------------------------------------------------------

    /**
     * An L2D (with the OOD gate) and an RSB policy whose stages are {@code surrogate} + {@code gate}
     * (the second stage the same models), thresholds between two scores near the median so both
     * outcomes occur.
     */
    private void checkKind(Method method, Map<String, Object> surrogate, Map<String, Object> gate,
                           Map<String, byte[]> files) {
        PortablePolicy probe = t.policy(method, 0.0, List.of(TestPolicies.stage(1, 0.0, surrogate, gate, files)),
                false);
        double threshold = betweenScores(route(PolicyKernel.build(probe, DenseMaths.scalar()), rows, rows.size()), 0.5);
        PortablePolicy l2d = t.policy(Method.L2D, threshold,
                List.of(TestPolicies.stage(1, threshold, surrogate, gate, files)), false);
        List<Decision> d = sameEverywhere(l2d);
        assertTrue(d.stream().anyMatch(Decision::handled), "some rows handled");
        assertTrue(d.stream().anyMatch(x -> DeferralReason.GATE_SCORE.equals(x.reason())), "some deferred by score");
        sameEverywhere(t.policy(Method.L2D, threshold,
                List.of(TestPolicies.stage(1, threshold, surrogate, gate, files)), true));
        double t1 = betweenScores(route(PolicyKernel.build(probe, DenseMaths.scalar()), rows, rows.size()), 0.7);
        PortablePolicy rsb = t.policy(Method.RSB, threshold, List.of(
                TestPolicies.stage(1, t1, surrogate, gate, files),
                TestPolicies.stage(2, threshold, surrogate, gate, files)), false);
        List<Decision> r = sameEverywhere(rsb);
        assertTrue(r.stream().anyMatch(x -> x.stage() == 1), "stage 1 handles some rows");
    }

    /**
     * Routes {@link #rows} alone, in blocks of 7 and in one block, on the SIMD and the scalar
     * loops; asserts the decisions agree and returns the SIMD ones of the whole block.
     */
    private List<Decision> sameEverywhere(PortablePolicy p) {
        DenseMath simd = DenseMaths.simd().orElseThrow();
        List<Decision> reference = null;
        for (DenseMath math : List.of(simd, DenseMaths.scalar())) {
            PolicyKernel kernel = PolicyKernel.build(p, math);
            List<Decision> whole = route(kernel, rows, rows.size());
            assertEquals(whole, route(kernel, rows, 1), math.describe() + ": block of one");
            assertEquals(whole, route(kernel, rows, 7), math.describe() + ": blocks of 7");
            if (reference == null) {
                reference = whole;
                continue;
            }
            for (int i = 0; i < whole.size(); i++) {
                Decision a = reference.get(i);
                Decision b = whole.get(i);
                assertEquals(a.handled(), b.handled(), "row " + i + ": " + a + " vs scalar " + b);
                assertEquals(a.label(), b.label(), "row " + i);
                assertEquals(a.stage(), b.stage(), "row " + i);
                assertEquals(a.reason(), b.reason(), "row " + i);
                assertEquals(a.detail(), b.detail(), "row " + i);
                assertEquals(a.score(), b.score(), 1e-12, "row " + i);
            }
        }
        return reference;
    }

    private static List<Decision> route(PolicyKernel kernel, List<float[]> rows, int blockRows) {
        BlockRouter router = kernel.newBlockRouter(blockRows);
        List<Decision> out = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += blockRows) {
            router.input().clear();
            for (int i = from; i < Math.min(rows.size(), from + blockRows); i++) {
                router.input().add(rows.get(i));
            }
            RoutedBlock routed = router.route();
            for (int i = 0; i < routed.rows(); i++) {
                out.add(routed.decision(i));
            }
        }
        return out;
    }

    /** Halfway between two adjacent distinct scores near quantile q, so no row sits within rounding of it. */
    private static double betweenScores(List<Decision> decisions, double q) {
        double[] s = decisions.stream().mapToDouble(Decision::score).filter(x -> !Double.isNaN(x)).sorted()
                .distinct().toArray();
        int i = (int) (q * (s.length - 1));
        assertTrue(s.length > 2, "scores vary: " + Arrays.toString(s));
        return (s[i] + s[i + 1]) / 2;
    }

    @Test
    void handledRowsCarryTheirLabelAndNoReason() {
        PortablePolicy p = t.policy(Method.L2D, 0.0,
                List.of(TestPolicies.stage(1, 0.0, t.logistic(), TestPolicies.top1(), Map.of())), false);
        BlockRouter router = PolicyKernel.build(p).newBlockRouter(1);
        router.input().add(t.rows(1, 0.01)[0]);
        RoutedBlock out = router.route();
        assertTrue(out.handled(0));
        assertEquals("a", out.label(0), "row 0 sits on label a's centroid");
        assertEquals(0, out.labelIndex(0));
        assertNull(out.reason(0));
        assertNull(out.detail(0));
        assertEquals(1, out.stage(0));
    }
}
