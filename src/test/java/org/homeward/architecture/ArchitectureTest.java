package org.homeward.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The directions docs/architecture.md draws, checked on the compiled classes: the tools beside the app, the web and
 * security base under every feature, and no cycle between feature packages.
 */
class ArchitectureTest {

    /**
     * Package dependencies allowed to close a cycle while they are paid off, each the weaker direction of its pair:
     * none is left (the last four ended on 2026-12-04). Removing one from the code fails
     * {@link #theKnownBackEdgesStillExist} until it is removed here too, so this list only shrinks.
     */
    static final Set<String> KNOWN_BACK_EDGES = Set.of();

    static JavaClasses classes;
    static Map<String, Set<String>> edges;

    @BeforeAll
    static void read() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.homeward");
        edges = new TreeMap<>();
        for (JavaClass c : classes) {
            String from = feature(c);
            if (from == null) {
                continue;
            }
            c.getDirectDependenciesFromSelf().forEach(d -> {
                String to = feature(d.getTargetClass());
                if (to != null && !to.equals(from)) {
                    edges.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
                }
            });
        }
    }

    /** The first package below org.homeward: the feature (cases, photos, ...) or layer (web, security, tools). */
    static String feature(JavaClass c) {
        String p = c.getPackageName();
        if (!p.startsWith("org.homeward.")) {
            return null;
        }
        String rest = p.substring("org.homeward.".length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    @Test
    void theAppNeverDependsOnTheTools() {
        noClasses().that().resideOutsideOfPackage("org.homeward.tools..")
                .should().dependOnClassesThat().resideInAPackage("org.homeward.tools..")
                .because("evaluation, benchmarks and model builders run beside the app, never inside it")
                .check(classes);
    }

    @Test
    void webSecurityAndWorkerDependOnNoFeature() {
        assertTrue(edges.getOrDefault("web", Set.of()).isEmpty(), "web -> " + edges.get("web"));
        assertEquals(Set.of("web"), edges.getOrDefault("security", Set.of("web")), "security -> " + edges.get("security"));
        assertTrue(edges.getOrDefault("worker", Set.of()).isEmpty(), "worker -> " + edges.get("worker"));
    }

    @Test
    void noPackageCycleBeyondTheKnownOnes() {
        List<String> cycle = findCycle(without(edges, KNOWN_BACK_EDGES));
        assertTrue(cycle.isEmpty(), "a dependency cycle between packages: " + String.join(" -> ", cycle)
                + " (make one direction go through an interface or event owned by the other side; docs/architecture.md)");
    }

    @Test
    void theKnownBackEdgesStillExist() {
        for (String edge : KNOWN_BACK_EDGES) {
            String[] ends = edge.split(" -> ");
            assertTrue(edges.getOrDefault(ends[0], Set.of()).contains(ends[1]),
                    edge + " is gone: take it off ArchitectureTest.KNOWN_BACK_EDGES and docs/architecture.md");
        }
    }

    private static Map<String, Set<String>> without(Map<String, Set<String>> graph, Set<String> removed) {
        Map<String, Set<String>> out = new TreeMap<>();
        graph.forEach((from, tos) -> tos.forEach(to -> {
            if (!removed.contains(from + " -> " + to)) {
                out.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
            }
        }));
        return out;
    }

    /** One cycle of {@code graph} as its path (first node repeated at the end), or empty when there is none. */
    static List<String> findCycle(Map<String, Set<String>> graph) {
        Set<String> done = new HashSet<>();
        for (String start : graph.keySet()) {
            Deque<String> path = new ArrayDeque<>();
            List<String> cycle = visit(start, graph, path, new HashSet<>(), done);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        return List.of();
    }

    private static List<String> visit(String node, Map<String, Set<String>> graph, Deque<String> path, Set<String> onPath,
            Set<String> done) {
        if (onPath.contains(node)) {
            List<String> cycle = new ArrayList<>();
            boolean in = false;
            for (String n : (Iterable<String>) path::descendingIterator) {
                in |= n.equals(node);
                if (in) {
                    cycle.add(n);
                }
            }
            cycle.add(node);
            return cycle;
        }
        if (!done.add(node)) {
            return List.of();
        }
        path.push(node);
        onPath.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            List<String> cycle = visit(next, graph, path, onPath, done);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        path.pop();
        onPath.remove(node);
        return List.of();
    }

    @Test
    void theCycleFinderFindsACycleAndNoneWhereThereIsNone() {
        Map<String, Set<String>> ring = new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a")));
        assertEquals(List.of("a", "b", "c", "a"), findCycle(ring));
        assertEquals(List.of(), findCycle(Map.of("a", Set.of("b", "c"), "b", Set.of("c"))));
    }
}
