package io.sluice.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package structure of {@code core/src/main/java}, read from each source file's package and its imports of
 * {@code io.sluice.*} types: the implementation packages form no cycle; {@code io.sluice.internal.support} depends on no
 * other Sluice package; the public transport and time packages never reach into the implementation (the in-memory
 * transport may use {@code support}); and the API package uses the implementation only in its facades, {@code Worker}
 * (which wires a worker), {@code SqsHandlers} (handler validation for tools) and {@code WorkerConfig} (queue names);
 * the producer package only in {@code SqsProducer}.
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern PACKAGE = Pattern.compile("^package (io\\.sluice[\\w.]*);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(io\\.sluice[\\w.]*?)\\.[A-Z]",
            Pattern.MULTILINE);

    /** Package -> the Sluice packages it imports from; and per package, which files import the implementation. */
    private static final Map<String, Set<String>> EDGES = new TreeMap<>();
    private static final Map<String, Set<String>> INTERNAL_USERS = new TreeMap<>();

    @BeforeAll
    static void read() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(path -> path.toString().endsWith(".java") && !path.endsWith("module-info.java"))
                    .forEach(PackageDependenciesTest::readFile);
        }
    }

    private static void readFile(Path file) {
        String source;
        try {
            source = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher packageMatch = PACKAGE.matcher(source);
        assertThat(packageMatch.find()).as("package of " + file).isTrue();
        String from = packageMatch.group(1);
        Set<String> to = EDGES.computeIfAbsent(from, ignored -> new TreeSet<>());
        Matcher imports = IMPORT.matcher(source);
        while (imports.find()) {
            String target = imports.group(1);
            if (!target.equals(from) && !target.equals("io.sluice.annotations")) {
                to.add(target);
                if (target.startsWith("io.sluice.internal")) {
                    INTERNAL_USERS.computeIfAbsent(from, ignored -> new TreeSet<>())
                            .add(file.getFileName().toString());
                }
            }
        }
    }

    @Test
    void theImplementationPackagesFormNoCycle() {
        Map<String, Set<String>> internal = new HashMap<>();
        EDGES.forEach((from, to) -> {
            if (from.startsWith("io.sluice.internal")) {
                internal.put(from, to.stream().filter(target -> target.startsWith("io.sluice.internal"))
                        .collect(TreeSet::new, Set::add, Set::addAll));
            }
        });
        assertThat(internal).as("implementation packages found").hasSizeGreaterThan(5);
        assertThat(cycles(internal)).as("package cycles").isEmpty();
    }

    @Test
    void supportIsALeaf() {
        assertThat(EDGES.get("io.sluice.internal.support")).as("Sluice packages support imports from").isEmpty();
    }

    @Test
    void onlyTheFacadesOfTheApiUseTheImplementation() {
        assertThat(INTERNAL_USERS.getOrDefault("io.sluice", Set.of()))
                .isSubsetOf("Worker.java", "SqsHandlers.java", "WorkerConfig.java");
        assertThat(INTERNAL_USERS.getOrDefault("io.sluice.producer", Set.of())).isSubsetOf("SqsProducer.java");
        assertThat(INTERNAL_USERS).doesNotContainKeys("io.sluice.time", "io.sluice.transport");
        assertThat(EDGES.get("io.sluice.transport.memory")).allSatisfy(target ->
                assertThat(target).isIn("io.sluice.time", "io.sluice.transport", "io.sluice.internal.support"));
    }

    /** The packages on some cycle, as one list per cycle found (depth-first). */
    private static List<List<String>> cycles(Map<String, Set<String>> edges) {
        List<List<String>> found = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (String start : edges.keySet()) {
            visit(start, edges, new ArrayList<>(), done, found);
        }
        return found;
    }

    private static void visit(String node, Map<String, Set<String>> edges, List<String> path, Set<String> done,
            List<List<String>> found) {
        int at = path.indexOf(node);
        if (at >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
            cycle.add(node);
            found.add(cycle);
            return;
        }
        if (!done.add(node)) {
            return;
        }
        path.add(node);
        for (String next : edges.getOrDefault(node, Set.of())) {
            visit(next, edges, path, done, found);
        }
        path.remove(path.size() - 1);
    }
}
