package io.sluice.examples.orders;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An identity-based IAM policy file, read for its {@code Allow} statements: what each resource is allowed, by service
 * ({@code sqs}, {@code kms}). Fails on what a least-privilege policy must not have: a {@code Deny} (nothing here
 * needs one), a wildcard action, or a statement without actions or resources.
 */
record IamPolicy(Path file, List<Statement> statements) {

    /** One statement: its actions, resources and condition as written. */
    record Statement(String sid, Set<String> actions, Set<String> resources, JsonNode condition) {
    }

    static IamPolicy read(Path file) {
        JsonNode policy = OpsFiles.json(file);
        if (!policy.path("Version").asText().equals("2012-10-17")) {
            throw new AssertionError(file + ": Version must be 2012-10-17 (policy variables and today's grammar)");
        }
        List<Statement> statements = new ArrayList<>();
        for (JsonNode statement : policy.path("Statement")) {
            String sid = statement.path("Sid").asText();
            if (!statement.path("Effect").asText().equals("Allow")) {
                throw new AssertionError(file + " " + sid + ": only Allow statements");
            }
            Set<String> actions = strings(statement.path("Action"));
            Set<String> resources = strings(statement.path("Resource"));
            if (actions.isEmpty() || resources.isEmpty()
                    || actions.stream().anyMatch(action -> action.contains("*"))) {
                throw new AssertionError(file + " " + sid + ": actions must be named one by one, with resources: "
                        + actions + " on " + resources);
            }
            statements.add(new Statement(sid, actions, resources, statement.path("Condition")));
        }
        return new IamPolicy(file, List.copyOf(statements));
    }

    /** For each resource, the actions of {@code service} ({@code "sqs"}) allowed on it. */
    Map<String, Set<String>> allowed(String service) {
        Map<String, Set<String>> allowed = new TreeMap<>();
        for (Statement statement : statements) {
            for (String action : statement.actions()) {
                if (action.startsWith(service + ":")) {
                    statement.resources().forEach(resource ->
                            allowed.computeIfAbsent(resource, ignored -> new TreeSet<>()).add(action));
                }
            }
        }
        return allowed;
    }

    /** The statements that allow actions of {@code service}. */
    List<Statement> statements(String service) {
        return statements.stream()
                .filter(statement -> statement.actions().stream().anyMatch(action -> action.startsWith(service + ":")))
                .toList();
    }

    private static Set<String> strings(JsonNode node) {
        Set<String> values = new TreeSet<>();
        if (node.isTextual()) {
            values.add(node.asText());
        } else {
            node.forEach(value -> values.add(value.asText()));
        }
        return values;
    }
}
