package io.sluice.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.micrometer.SluiceMetricNames;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/grafana/sluice-dashboard.json against the meters a worker registers: a scripted worker run (every outcome) is
 * scraped as the worker main serves {@code /metrics}, and every metric, label and label value a panel's query names
 * must be in that scrape ({@code _bucket} series in the scrape with histograms on, for the one panel that says it needs
 * them). Every meter of {@link SluiceMetricNames} must have a panel.
 */
class GrafanaDashboardTest {

    private static final Pattern METRIC = Pattern.compile("\\bsluice_[a-z0-9_]+");
    private static final Pattern SELECTOR = Pattern.compile("(sluice_[a-z0-9_]+)\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("\\s*([a-zA-Z_]+)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"\\s*");
    private static final Pattern BY = Pattern.compile("\\bby\\s*\\(([^)]*)\\)");
    private static final Pattern RANGE = Pattern.compile("\\[([^]]*)]");
    private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*([a-zA-Z_]+)\\s*}}");

    private final JsonNode dashboard = OpsFiles.json(OpsFiles.DOCS.resolve("grafana/sluice-dashboard.json"));
    private final List<JsonNode> panels = panels(dashboard.path("panels"));

    @Test
    void itIsADashboardOverAPrometheusDataSourceWithAQueueVariable() {
        Map<String, JsonNode> variables = new HashMap<>();
        dashboard.path("templating").path("list").forEach(variable -> variables.put(variable.path("name").asText(),
                variable));
        JsonNode queue = variables.get("queue");
        Matcher labelValues = Pattern.compile("^label_values\\((sluice_[a-z0-9_]+),\\s*queue\\)$")
                .matcher(queue.path("query").path("query").asText());

        assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 41);
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        assertThat(variables.get("datasource").path("type").asText()).isEqualTo("datasource");
        assertThat(variables.get("datasource").path("query").asText()).isEqualTo("prometheus");
        assertThat(queue.path("type").asText()).isEqualTo("query");
        assertThat(labelValues.find()).as("label_values(<a Sluice metric>, queue)").isTrue();
        assertThat(scrape().labels(labelValues.group(1))).as("its metric has the queue label").contains("queue");
        assertThat(scrape().values(labelValues.group(1), "queue"))
                .as("one value per consumed queue (no dead-letter queue)")
                .isEqualTo(new TreeSet<>(OrderProcessingModule.queues()));
        for (JsonNode panel : panels) {
            assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
            panel.path("targets").forEach(target ->
                    assertThat(target.path("datasource").path("uid").asText()).isEqualTo("${datasource}"));
        }
    }

    @Test
    void everyPanelHasATitleADescriptionQueriesAndItsOwnPlace() {
        Set<Integer> ids = new HashSet<>();
        List<int[]> places = new ArrayList<>();
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            assertThat(title).isNotBlank();
            assertThat(panel.path("description").asText()).as(title).isNotBlank();
            assertThat(panel.path("targets").size()).as("%s has a query", title).isPositive();
            panel.path("targets").forEach(target -> assertThat(target.path("expr").asText()).as(title).isNotBlank());
            assertThat(ids.add(panel.path("id").asInt())).as("%s's id is its own", title).isTrue();
            JsonNode grid = panel.path("gridPos");
            int[] place = {grid.path("x").asInt(), grid.path("y").asInt(), grid.path("w").asInt(),
                    grid.path("h").asInt()};
            assertThat(place[0] + place[2]).as("%s fits the 24 columns", title).isLessThanOrEqualTo(24);
            assertThat(places).as("%s overlaps no other panel", title).noneMatch(other -> overlap(place, other));
            places.add(place);
        }
    }

    @Test
    void everyQueryNamesMetricsLabelsAndValuesTheWorkerRegisters() {
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                Set<String> metrics = new TreeSet<>();
                Matcher metric = METRIC.matcher(expr);
                while (metric.find()) {
                    metrics.add(metric.group());
                }
                assertThat(metrics).as("%s: %s", title, expr).isNotEmpty();
                Set<String> labels = new TreeSet<>();
                for (String name : metrics) {
                    PrometheusText scraped = name.endsWith("_bucket") ? histogramScrape() : scrape();
                    assertThat(scraped.names()).as("%s: %s names %s", title, expr, name).contains(name);
                    labels.addAll(scraped.labels(name));
                    if (name.endsWith("_bucket")) {
                        assertThat(panel.path("description").asText())
                                .as("%s says its quantiles need histograms", title)
                                .contains("sluice.metrics.histograms=true");
                    }
                }
                Matcher selector = SELECTOR.matcher(expr);
                while (selector.find()) {
                    assertMatchers(title, selector.group(1), selector.group(2));
                }
                Set<String> kept = by(expr);
                assertThat(labels).as("%s: %s groups by labels its metrics have", title, expr).containsAll(kept);
                Matcher legend = LEGEND_LABEL.matcher(target.path("legendFormat").asText());
                while (legend.find()) {
                    assertThat(kept.isEmpty() ? labels : kept).as("%s: the legend's label survives the query",
                            title).contains(legend.group(1));
                }
                Matcher range = RANGE.matcher(expr);
                while (range.find()) {
                    assertThat(range.group(1)).as("%s: %s", title, expr).isEqualTo("$__rate_interval");
                }
            }
        }
    }

    @Test
    void everyMeterTheWorkerRegistersHasAPanel() throws IllegalAccessException {
        Set<String> used = new TreeSet<>();
        for (JsonNode panel : panels) {
            panel.path("targets").forEach(target -> {
                Matcher metric = METRIC.matcher(target.path("expr").asText());
                while (metric.find()) {
                    used.add(metric.group());
                }
            });
        }
        List<String> meters = new ArrayList<>();
        for (Field field : SluiceMetricNames.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.get(null) instanceof String name
                    && name.startsWith("sluice.")) {
                meters.add(name.replace('.', '_'));
            }
        }

        assertThat(meters).isNotEmpty().allSatisfy(meter -> assertThat(used).as("a panel shows %s", meter)
                .anyMatch(name -> name.equals(meter) || name.startsWith(meter + "_")));
    }

    @Test
    void countsEveryWorkerReportsTheSameOfAreCombinedWithMaxNeverSum() {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                for (String shared : List.of("sluice_queue_messages", "sluice_circuit_state",
                        "sluice_queue_oldest_message_age_seconds")) {
                    if (expr.contains(shared + "{")) {
                        assertThat(expr).as("%s: each worker samples the same queue", panel.path("title").asText())
                                .startsWith("max by (");
                    }
                }
            }
        }
    }

    private void assertMatchers(String title, String metric, String matchers) {
        PrometheusText scraped = metric.endsWith("_bucket") ? histogramScrape() : scrape();
        for (String matcher : matchers.split(",")) {
            Matcher parts = MATCHER.matcher(matcher);
            assertThat(parts.matches()).as("%s: a label matcher: %s", title, matcher).isTrue();
            assertThat(scraped.labels(metric)).as("%s: %s has the label %s", title, metric, parts.group(1))
                    .contains(parts.group(1));
            if (parts.group(2).equals("=") && !parts.group(3).contains("$")) {
                assertThat(scraped.values(metric, parts.group(1))).as("%s: %s{%s}", title, metric, matcher)
                        .contains(parts.group(3));
            }
        }
    }

    /** The labels of every {@code by (...)} in {@code expr}. */
    private static Set<String> by(String expr) {
        Set<String> labels = new TreeSet<>();
        Matcher by = BY.matcher(expr);
        while (by.find()) {
            Arrays.stream(by.group(1).split(",")).map(String::trim).filter(label -> !label.isEmpty())
                    .forEach(labels::add);
        }
        return labels;
    }

    private static boolean overlap(int[] a, int[] b) {
        return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
    }

    /** The panels, those inside rows included. */
    private static List<JsonNode> panels(JsonNode list) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : list) {
            if (panel.path("type").asText().equals("row")) {
                panels.addAll(panels(panel.path("panels")));
            } else {
                panels.add(panel);
            }
        }
        return panels;
    }

    private static PrometheusText scrape() {
        return ScriptedWorkerRun.everyOutcome().metrics();
    }

    private static PrometheusText histogramScrape() {
        return ScriptedWorkerRun.everyOutcome().histogramMetrics();
    }
}
