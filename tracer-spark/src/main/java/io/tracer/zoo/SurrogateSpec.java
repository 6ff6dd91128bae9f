package io.tracer.zoo;

import io.tracer.BadInputException;

import java.util.Map;
import java.util.TreeMap;

/**
 * One zoo candidate: a unique name (what the config's skip/add lists and the candidates table
 * use), the model family, and its hyper-parameters as strings (sorted, so a spec prints and
 * serialises the same way every time).
 */
public record SurrogateSpec(String name, Kind kind, Map<String, String> params) {

    /** Model families; each maps to one stock MLlib (or XGBoost) estimator. */
    public enum Kind { LOGISTIC, MLP, NAIVE_BAYES, TREE, FOREST, XGBOOST }

    public SurrogateSpec {
        if (name == null || name.isBlank()) {
            throw new BadInputException("surrogate spec: blank name");
        }
        params = java.util.Collections.unmodifiableMap(new TreeMap<>(params));
    }

    /** A copy with one parameter set, e.g. fewer boosting rounds for a quick run. */
    public SurrogateSpec withParam(String key, Object value) {
        Map<String, String> p = new TreeMap<>(params);
        p.put(key, String.valueOf(value));
        return new SurrogateSpec(name, kind, p);
    }

    public String param(String key) {
        String v = params.get(key);
        if (v == null) {
            throw new BadInputException("surrogate " + name + ": missing parameter " + key);
        }
        return v;
    }

    public double doubleParam(String key) {
        try {
            return Double.parseDouble(param(key));
        } catch (NumberFormatException e) {
            throw new BadInputException("surrogate " + name + ": parameter " + key + " is not a number: " + param(key));
        }
    }

    public int intParam(String key) {
        try {
            return Integer.parseInt(param(key));
        } catch (NumberFormatException e) {
            throw new BadInputException("surrogate " + name + ": parameter " + key + " is not an integer: " + param(key));
        }
    }

    /** A comma-separated list of positive integers (the MLP's hidden layer sizes). */
    public int[] intsParam(String key) {
        String[] parts = param(key).split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new BadInputException("surrogate " + name + ": parameter " + key + " must be integers, was " + param(key));
            }
            if (out[i] <= 0) {
                throw new BadInputException("surrogate " + name + ": parameter " + key + " must be positive, was " + param(key));
            }
        }
        return out;
    }
}
