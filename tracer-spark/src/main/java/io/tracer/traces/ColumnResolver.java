package io.tracer.traces;

import io.tracer.BadInputException;
import io.tracer.config.TracerConfig;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Picks the source columns for each canonical column: an explicit override wins; otherwise the
 * first alias (in configured order) that names a column, compared case-insensitively. A column
 * is used for at most one role, so an override of the input to {@code label} stops
 * {@code label} from also becoming the teacher.
 */
final class ColumnResolver {
    private ColumnResolver() {}

    static ResolvedColumns resolve(List<String> columns, TracerConfig.Traces cfg, TraceSource source) {
        return resolve(columns, cfg, source, true);
    }

    /** With {@code requireTeacher} false a table without a teacher column resolves with teacher null. */
    static ResolvedColumns resolve(List<String> columns, TracerConfig.Traces cfg, TraceSource source,
                                   boolean requireTeacher) {
        Set<String> used = new HashSet<>();
        String input = required("input", source.inputCol().or(() -> nonBlank(cfg.inputCol())),
                cfg.inputAliases(), columns, used, "--input-col");
        Optional<String> teacherOverride = source.teacherCol().or(() -> nonBlank(cfg.teacherCol()));
        String teacher = requireTeacher || teacherOverride.isPresent()
                ? required("teacher", teacherOverride, cfg.teacherAliases(), columns, used, "--teacher-col")
                : pick(cfg.teacherAliases(), columns, used).orElse(null);
        Optional<String> id = pick(cfg.idAliases(), columns, used);
        Optional<String> ts = pick(cfg.timestampAliases(), columns, used);
        Optional<String> gt = pick(cfg.groundTruthAliases(), columns, used);
        Optional<String> emb = pick(cfg.embeddingAliases(), columns, used);
        return new ResolvedColumns(input, teacher, id, ts, gt, emb);
    }

    private static String required(String role, Optional<String> override, List<String> aliases,
                                   List<String> columns, Set<String> used, String flag) {
        if (override.isPresent()) {
            String name = find(override.get(), columns)
                    .orElseThrow(() -> new BadInputException("the " + role + " column " + override.get()
                            + " (given with " + flag + ") is not in the trace table; its columns are " + columns));
            if (!used.add(name.toLowerCase(Locale.ROOT))) {
                throw new BadInputException("column " + name + " cannot be both the input and the teacher");
            }
            return name;
        }
        return pick(aliases, columns, used).orElseThrow(() -> new BadInputException(
                "the trace table has no " + role + " column: none of " + aliases + " is among its columns "
                        + columns + "; name it with " + flag));
    }

    private static Optional<String> pick(List<String> aliases, List<String> columns, Set<String> used) {
        for (String alias : aliases) {
            Optional<String> hit = find(alias, columns).filter(c -> !used.contains(c.toLowerCase(Locale.ROOT)));
            if (hit.isPresent()) {
                used.add(hit.get().toLowerCase(Locale.ROOT));
                return hit;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> find(String name, List<String> columns) {
        List<String> hits = new ArrayList<>();
        for (String c : columns) {
            if (c.equals(name)) {
                return Optional.of(c);
            }
            if (c.equalsIgnoreCase(name)) {
                hits.add(c);
            }
        }
        return hits.stream().findFirst();
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }
}
