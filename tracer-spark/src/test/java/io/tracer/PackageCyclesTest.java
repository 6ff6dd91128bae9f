package io.tracer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packages of both modules' src/main/java depend on each other without a cycle, so each can be read (and
 * tested) after the ones it uses. A package depends on another when one of its files names a
 * type of the other in an import (static and wildcard included) or by its fully qualified name
 * in code; comments and string literals do not count, nor do references within a package.
 * Subpackages are packages of their own ({@code calibrate.spark} is not {@code calibrate}).
 *
 * <p>A failure prints every cycle: the strongly connected packages, a shortest cycle through
 * them, and for each edge of it the files and types that make it.
 */
class PackageCyclesTest {
    /** Both modules' sources: packages may span them (io.tracer itself does). */
    private static final List<Path> MAIN = List.of(Path.of("tracer-core/src/main/java"),
            Path.of("tracer-spark/src/main/java"));
    private static final String ROOT = "io.tracer";

    /** from package -> to package -> "File -> Type" examples. */
    record Graph(SortedMap<String, SortedMap<String, SortedSet<String>>> edges, SortedSet<String> packages) {
        Set<String> targets(String from) {
            return edges.getOrDefault(from, new TreeMap<>()).keySet();
        }
    }

    @Test
    void theMainPackagesHaveNoDependencyCycle() {
        Graph graph = graph(MAIN);
        List<SortedSet<String>> cycles = stronglyConnected(graph);
        String report = describe(graph, cycles);
        if (!cycles.isEmpty()) {
            System.out.println(report);
        }
        assertTrue(cycles.isEmpty(), report);
    }

    /** Guards the parser: what counts as a dependency, and what does not. */
    @Test
    void theParserSeesImportsAndQualifiedNamesButNotCommentsOrStrings() {
        Set<String> known = Set.of(ROOT, ROOT + ".a", ROOT + ".b", ROOT + ".b.c", ROOT + ".d", ROOT + ".e",
                ROOT + ".f", ROOT + ".g", ROOT + ".h");
        String source = """
                package io.tracer.a;

                import io.tracer.b.Thing;
                import static io.tracer.b.c.Util.helper;
                import io.tracer.d.*;
                import java.util.List;

                /** Not this: {@link io.tracer.e.Doc}. */
                class X {
                    // nor this: io.tracer.f.Line
                    String s = "nor io.tracer.g.Text";
                    io.tracer.h.Outer.Inner inner;
                    io.tracer.Columns c;
                }
                """;
        assertEquals(new TreeSet<>(List.of(ROOT + ".b", ROOT + ".b.c", ROOT + ".d", ROOT + ".h", ROOT)),
                new TreeSet<>(references(source, known).keySet()));
    }

    /** And on the real tree it sees the edges everyone knows about. */
    @Test
    void theGraphOfTheMainTreeHasTheKnownEdges() {
        Graph graph = graph(MAIN);
        assertTrue(graph.packages().containsAll(List.of(ROOT, ROOT + ".zoo", ROOT + ".gate", ROOT + ".calibrate.spark")),
                graph.packages().toString());
        assertTrue(graph.targets(ROOT + ".gate").contains(ROOT + ".zoo"), "gate uses zoo's models");
        assertTrue(graph.targets(ROOT + ".calibrate.spark").contains(ROOT + ".calibrate"));
        assertTrue(graph.targets(ROOT).isEmpty(), "the root package uses no other: " + graph.targets(ROOT));
    }

    static Graph graph(Path sourceRoot) {
        return graph(List.of(sourceRoot));
    }

    static Graph graph(List<Path> sourceRoots) {
        Map<Path, String> files = new TreeMap<>();
        for (Path sourceRoot : sourceRoots) {
            try (Stream<Path> walk = Files.walk(sourceRoot)) {
                for (Path p : walk.filter(f -> f.toString().endsWith(".java")).toList()) {
                    files.put(p, Files.readString(p, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        SortedSet<String> packages = new TreeSet<>();
        Map<Path, String> packageOf = new HashMap<>();
        for (Map.Entry<Path, String> f : files.entrySet()) {
            Matcher m = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;").matcher(f.getValue());
            if (m.find() && (m.group(1).equals(ROOT) || m.group(1).startsWith(ROOT + "."))) {
                packages.add(m.group(1));
                packageOf.put(f.getKey(), m.group(1));
            }
        }
        SortedMap<String, SortedMap<String, SortedSet<String>>> edges = new TreeMap<>();
        for (Map.Entry<Path, String> f : packageOf.entrySet()) {
            String from = f.getValue();
            String file = f.getKey().getFileName().toString().replace(".java", "");
            references(files.get(f.getKey()), packages).forEach((to, types) -> {
                if (!to.equals(from)) {
                    SortedSet<String> examples = edges.computeIfAbsent(from, k -> new TreeMap<>())
                            .computeIfAbsent(to, k -> new TreeSet<>());
                    types.forEach(t -> examples.add(file + " -> " + t));
                }
            });
        }
        return new Graph(edges, packages);
    }

    /** Referenced package -> the types named in it, for the packages in {@code known}. */
    static Map<String, Set<String>> references(String source, Set<String> known) {
        String code = stripCommentsAndLiterals(source);
        Map<String, Set<String>> out = new TreeMap<>();
        // a qualified name: lower-case segments (the package), then a type, maybe nested types or members
        Matcher m = Pattern.compile("(?<![\\w.])(io\\.tracer(?:\\.[a-z_][\\w]*)*)\\.([A-Z]\\w*|\\*)").matcher(code);
        while (m.find()) {
            String pkg = m.group(1);
            // "import static io.tracer.x.Type.member" has a lower-case tail after the type: fine, the
            // type was matched; a lower-case segment that is not a package is a member of the root
            while (!known.contains(pkg) && pkg.contains(".")) {
                pkg = pkg.substring(0, pkg.lastIndexOf('.'));
            }
            if (known.contains(pkg)) {
                out.computeIfAbsent(pkg, k -> new TreeSet<>()).add(m.group(2));
            }
        }
        return out;
    }

    /** Blanks comments, string and text-block literals and char literals, keeping line structure. */
    static String stripCommentsAndLiterals(String s) {
        StringBuilder b = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (s.startsWith("//", i)) {
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? s.length() : end + 2;
                b.append(' ');
            } else if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                i = end < 0 ? s.length() : end + 3;
                b.append("\"\"");
            } else if (c == '"' || c == '\'') {
                i++;
                while (i < s.length() && s.charAt(i) != c) {
                    i += s.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
                b.append(c).append(c);
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }

    /** Tarjan: the strongly connected sets of more than one package, each sorted, in order. */
    static List<SortedSet<String>> stronglyConnected(Graph graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new java.util.HashSet<>();
        List<SortedSet<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String v : graph.packages()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, onStack, out, counter);
            }
        }
        out.sort((a, b) -> a.first().compareTo(b.first()));
        return out;
    }

    private static void connect(String v, Graph g, Map<String, Integer> index, Map<String, Integer> low,
                                Deque<String> stack, Set<String> onStack, List<SortedSet<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]);
        counter[0]++;
        stack.push(v);
        onStack.add(v);
        for (String w : g.targets(v)) {
            if (!index.containsKey(w)) {
                connect(w, g, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            SortedSet<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                out.add(component);
            }
        }
    }

    /** A shortest cycle through {@code start} inside {@code component} (breadth-first). */
    static List<String> shortestCycle(Graph g, String start, Set<String> component) {
        Map<String, String> parent = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String v = queue.poll();
            for (String w : g.targets(v)) {
                if (!component.contains(w)) {
                    continue;
                }
                if (w.equals(start)) {
                    List<String> path = new ArrayList<>(List.of(start));
                    for (String x = v; !x.equals(start); x = parent.get(x)) {
                        path.add(1, x);
                    }
                    path.add(start);
                    return path;
                }
                if (!parent.containsKey(w)) {
                    parent.put(w, v);
                    queue.add(w);
                }
            }
        }
        return List.of(start);
    }

    static String describe(Graph g, List<SortedSet<String>> cycles) {
        if (cycles.isEmpty()) {
            return "no package cycle among " + g.packages().size() + " packages";
        }
        StringBuilder b = new StringBuilder(cycles.size() + " package cycle(s) in src/main/java:\n");
        for (SortedSet<String> component : cycles) {
            b.append("- ").append(String.join(", ", component)).append('\n');
            List<String> cycle = shortestCycle(g, component.first(), component);
            b.append("  cycle: ").append(String.join(" -> ", cycle)).append('\n');
            for (int i = 0; i + 1 < cycle.size(); i++) {
                Set<String> why = g.edges().get(cycle.get(i)).get(cycle.get(i + 1));
                b.append("    ").append(cycle.get(i)).append(" -> ").append(cycle.get(i + 1)).append(": ")
                        .append(why.stream().collect(Collectors.joining(", "))).append('\n');
            }
        }
        return b.toString();
    }
}
