package io.tracer.zoo;

import io.tracer.BadInputException;
import io.tracer.config.ConfigKeys;
import io.tracer.config.TracerConfig;
import io.tracer.zoo.SurrogateSpec.Kind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry of surrogate candidates. Fixed in code, so a run's zoo depends only on its
 * config and the data's shape, never on what happens to be installed.
 *
 * <p>light = multinomial logistic regressions at three L2 strengths plus an MLP with one hidden
 * layer; full = light plus an MLP with two hidden layers, gaussian naive Bayes, a decision tree, a
 * random forest and XGBoost. The config's {@code add} may also name any registry entry or a pattern
 * {@code lr-<regParam>}, {@code mlp-1x<h>}, {@code mlp-2x<h1>x<h2>}.
 */
public final class SurrogateZoo {
    private SurrogateZoo() {}

    /** L2 strengths of the logistic candidates (MLlib's regParam: the penalty on the mean loss). */
    public static final List<String> LR_REGS = List.of("1e-4", "1e-3", "1e-2");

    private static final Pattern LR = Pattern.compile("lr-([0-9.eE+-]+)");
    private static final Pattern MLP1 = Pattern.compile("mlp-1x(\\d+)");
    private static final Pattern MLP2 = Pattern.compile("mlp-2x(\\d+)x(\\d+)");

    /** The candidates the config asks for, in a stable order (set, minus skip, plus add). */
    public static List<SurrogateSpec> candidates(TracerConfig.Zoo zoo, int dim, int numLabels) {
        Map<String, SurrogateSpec> chosen = new LinkedHashMap<>();
        List<SurrogateSpec> base = "full".equals(zoo.set()) ? full(dim, numLabels) : light(dim, numLabels);
        List<SurrogateSpec> registry = full(dim, numLabels);
        for (String skip : zoo.skip()) {
            if (registry.stream().noneMatch(s -> matches(skip, s.name()))) {
                throw new BadInputException("configuration " + ConfigKeys.ZOO_SKIP + ": unknown candidate " + skip
                        + " (known: " + names(registry) + ")");
            }
        }
        for (SurrogateSpec s : base) {
            if (zoo.skip().stream().noneMatch(k -> matches(k, s.name()))) {
                chosen.put(s.name(), s);
            }
        }
        for (String add : zoo.add()) {
            SurrogateSpec s = byName(add, dim, numLabels);
            chosen.putIfAbsent(s.name(), s);
        }
        if (chosen.isEmpty()) {
            throw new BadInputException("configuration " + ConfigKeys.ZOO + ": skip leaves no candidate");
        }
        return List.copyOf(chosen.values());
    }

    public static List<SurrogateSpec> light(int dim, int numLabels) {
        List<SurrogateSpec> out = new ArrayList<>();
        for (String reg : LR_REGS) {
            out.add(logistic(reg));
        }
        out.add(mlp(hidden(dim, numLabels)));
        return out;
    }

    /**
     * The two-layer MLP is here and not in light: it ranked last of the light candidates on every
     * B1 seed (macro-F1 0.79 at the first rung against the logistic regressions' 0.86-0.89) and on
     * B3, and it was the first rung's costliest fit; with it, a light search also needed a second
     * rung (docs/operations.md, "The zoo's candidates").
     */
    public static List<SurrogateSpec> full(int dim, int numLabels) {
        List<SurrogateSpec> out = new ArrayList<>(light(dim, numLabels));
        int h = hidden(dim, numLabels);
        out.add(mlp(h, Math.max(16, h / 2)));
        out.add(new SurrogateSpec("nb-gaussian", Kind.NAIVE_BAYES, Map.of()));
        out.add(new SurrogateSpec("tree", Kind.TREE, Map.of("maxDepth", "12", "minInstancesPerNode", "2",
                "maxBins", "32")));
        out.add(new SurrogateSpec("forest", Kind.FOREST, Map.of("numTrees", "50", "maxDepth", "10",
                "featureSubsetStrategy", "sqrt", "maxBins", "32")));
        out.add(new SurrogateSpec("xgb", Kind.XGBOOST, Map.of("numRound", "50", "maxDepth", "6",
                "eta", "0.2", "subsample", "0.8", "colsampleBytree", "0.5", "nthread", "2")));
        return out;
    }

    /** A registry entry by name, or a parsed lr/mlp pattern. */
    public static SurrogateSpec byName(String name, int dim, int numLabels) {
        for (SurrogateSpec s : full(dim, numLabels)) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        Matcher m;
        if ((m = LR.matcher(name)).matches()) {
            try {
                Double.parseDouble(m.group(1));
            } catch (NumberFormatException e) {
                throw new BadInputException("zoo candidate " + name + ": bad regularisation " + m.group(1));
            }
            return logistic(m.group(1));
        }
        if ((m = MLP1.matcher(name)).matches()) {
            return mlp(Integer.parseInt(m.group(1)));
        }
        if ((m = MLP2.matcher(name)).matches()) {
            return mlp(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
        throw new BadInputException("zoo candidate " + name + ": unknown (known: "
                + names(full(dim, numLabels)) + ", or lr-<reg>, mlp-1x<h>, mlp-2x<h1>x<h2>)");
    }

    /**
     * First hidden layer sized to the label space: the next power of two at or above 2K, between
     * 32 and 256 (Banking77's 77 labels give 256). Wider layers only overfit a few thousand rows.
     */
    static int hidden(int dim, int numLabels) {
        int target = Math.max(32, Math.min(256, 2 * numLabels));
        return Integer.highestOneBit(target - 1) << 1;
    }

    static SurrogateSpec logistic(String reg) {
        return new SurrogateSpec("lr-" + reg.toLowerCase(Locale.ROOT), Kind.LOGISTIC,
                Map.of("regParam", reg, "maxIter", "100", "tol", "1e-4"));
    }

    static SurrogateSpec mlp(int... hidden) {
        StringBuilder name = new StringBuilder("mlp-").append(hidden.length);
        StringBuilder layers = new StringBuilder();
        for (int h : hidden) {
            name.append('x').append(h);
            layers.append(layers.length() == 0 ? "" : ",").append(h);
        }
        return new SurrogateSpec(name.toString(), Kind.MLP,
                Map.of("hidden", layers.toString(), "maxIter", "100", "tol", "1e-4", "blockSize", "128"));
    }

    /** A skip entry matches a name exactly, or a sized family such as "mlp-1" matches "mlp-1x256". */
    static boolean matches(String skip, String name) {
        return name.equals(skip) || name.startsWith(skip + "x");
    }

    private static List<String> names(List<SurrogateSpec> specs) {
        return specs.stream().map(SurrogateSpec::name).toList();
    }
}
