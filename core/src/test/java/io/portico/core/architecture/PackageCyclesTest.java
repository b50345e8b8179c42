package io.portico.core.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No two packages depend on each other, directly or through others: each package can be read,
 * tested and changed knowing only the packages below it. Dependencies are read from the sources:
 * imports and fully qualified names of {@code io.portico} types in code (comments, javadoc links
 * included, do not count).
 */
class PackageCyclesTest {

    private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.portico(?:\\.[a-z][a-z0-9]*)+)\\.[A-Z]");
    private static final Pattern COMMENT = Pattern.compile("(?s)/\\*.*?\\*/|//[^\n]*");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

    @Test
    void coreHasNoPackageCycles() {
        assertThat(cycles(dependencies(Path.of("src/main/java")))).isEmpty();
    }

    @Test
    void pluginApiHasNoPackageCycles() {
        assertThat(cycles(dependencies(Path.of("../plugin-api/src/main/java")))).isEmpty();
    }

    /** Package → the packages of the same source tree its classes refer to. */
    private static Map<String, Set<String>> dependencies(Path sources) {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = COMMENT.matcher(Files.readString(file)).replaceAll("");
                Matcher declared = PACKAGE.matcher(text);
                if (!declared.find()) {
                    continue;
                }
                Set<String> uses = graph.computeIfAbsent(declared.group(1), p -> new TreeSet<>());
                Matcher reference = REFERENCE.matcher(text);
                while (reference.find()) {
                    uses.add(reference.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        graph.forEach((pkg, uses) -> {
            uses.remove(pkg);
            uses.retainAll(graph.keySet());
        });
        assertThat(graph).as("packages found under " + sources.toAbsolutePath()).hasSizeGreaterThan(3);
        return graph;
    }

    /** The strongly connected components of more than one package (Tarjan's algorithm). */
    private static List<Set<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<Set<String>> found = new ArrayList<>();
        for (String pkg : graph.keySet()) {
            if (!index.containsKey(pkg)) {
                visit(pkg, graph, index, low, stack, found);
            }
        }
        return found;
    }

    private static void visit(String pkg, Map<String, Set<String>> graph, Map<String, Integer> index,
                              Map<String, Integer> low, Deque<String> stack, List<Set<String>> found) {
        index.put(pkg, index.size());
        low.put(pkg, index.get(pkg));
        stack.push(pkg);
        for (String next : graph.get(pkg)) {
            if (!index.containsKey(next)) {
                visit(next, graph, index, low, stack, found);
                low.put(pkg, Math.min(low.get(pkg), low.get(next)));
            } else if (stack.contains(next)) {
                low.put(pkg, Math.min(low.get(pkg), index.get(next)));
            }
        }
        if (low.get(pkg).equals(index.get(pkg))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                component.add(member);
            } while (!member.equals(pkg));
            if (component.size() > 1) {
                found.add(component);
            }
        }
    }
}
