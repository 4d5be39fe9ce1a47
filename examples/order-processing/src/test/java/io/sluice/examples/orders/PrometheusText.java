package io.sluice.examples.orders;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Prometheus text exposition ({@code /metrics}), read for each series name and the values of each of its labels. */
record PrometheusText(Map<String, Map<String, Set<String>>> series) {

    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    static PrometheusText parse(String text) {
        Map<String, Map<String, Set<String>>> series = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher matcher = SERIES.matcher(line);
            if (line.startsWith("#") || !matcher.find()) {
                continue;
            }
            Map<String, Set<String>> labels = series.computeIfAbsent(matcher.group(1), name -> new HashMap<>());
            Matcher label = LABEL.matcher(matcher.group(2) == null ? "" : matcher.group(2));
            while (label.find()) {
                labels.computeIfAbsent(label.group(1), name -> new TreeSet<>()).add(label.group(2));
            }
        }
        return new PrometheusText(series);
    }

    Set<String> names() {
        return series.keySet();
    }

    Set<String> labels(String name) {
        return series.getOrDefault(name, Map.of()).keySet();
    }

    Set<String> values(String name, String label) {
        return new TreeSet<>(series.getOrDefault(name, Map.of()).getOrDefault(label, Set.of()));
    }
}
