package io.sluice.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.SqsCallStats;
import io.sluice.Worker;
import io.sluice.runtime.Sluice;
import io.sluice.runtime.SluiceSettings;
import io.sluice.testutil.InMemoryWorld;
import io.sluice.testutil.InMemoryWorld.Threads;
import io.sluice.testutil.VirtualStop;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/OPERATIONS.md kept true: the metrics, settings and links it names exist, and the idle costs it quotes are what
 * an idle example worker is measured to make on virtual time.
 */
class OperationsGuideTest {

    private static final Path GUIDE = OpsFiles.DOCS.resolve("OPERATIONS.md");
    private static final String TEXT = OpsFiles.text(GUIDE);
    /** A 30-day month, as the guide counts. */
    private static final Duration MONTH = Duration.ofDays(30);
    private static final Duration MEASURED = Duration.ofHours(10);

    @Test
    void everyMetricItNamesIsOneAWorkerRegisters() {
        Matcher metric = Pattern.compile("\\bsluice_[a-z0-9_]+").matcher(TEXT);
        Set<String> named = new TreeSet<>();
        while (metric.find()) {
            named.add(metric.group());
        }
        ScriptedWorkerRun.Result run = ScriptedWorkerRun.everyOutcome();

        assertThat(named).isNotEmpty().allSatisfy(name -> assertThat(
                (name.endsWith("_bucket") ? run.histogramMetrics() : run.metrics()).names()).contains(name));
    }

    @Test
    void everySettingItNamesIsOneTheWorkerKnows() {
        Set<String> keys = new TreeSet<>();
        Matcher key = Pattern.compile("(?<![\\w.])sluice\\.[a-z0-9.<>*-]*[a-z0-9>*]").matcher(TEXT);
        while (key.find()) {
            keys.add(key.group().replace("<queue>", OrderProcessor.QUEUE));
        }
        keys.remove("sluice.deliver-at"); // the message attribute of scheduled messages, not a setting
        keys.removeIf(name -> name.contains("*"));
        Matcher variable = Pattern.compile("(?<!\\w)SLUICE_[A-Z0-9_]*[A-Z0-9]").matcher(TEXT);
        Set<String> variables = new TreeSet<>();
        while (variable.find()) {
            variables.add(variable.group());
        }

        assertThat(keys).isNotEmpty().allSatisfy(name -> assertThat(OpsFiles.isSetting(name))
                .as("%s is a setting", name).isTrue());
        assertThat(variables).isNotEmpty().allSatisfy(name -> assertThat(OpsFiles.settingKey(name)).isNotBlank());
    }

    @Test
    void everyLinkLeadsToAFileAndItsHeading() {
        Matcher link = Pattern.compile("]\\(([^)\\s]+)\\)").matcher(TEXT);
        int links = 0;
        while (link.find()) {
            String target = link.group(1);
            if (target.startsWith("http")) {
                continue;
            }
            links++;
            String[] parts = target.split("#", 2);
            Path file = parts[0].isEmpty() ? GUIDE : GUIDE.getParent().resolve(parts[0]).normalize();
            assertThat(file).as(target).exists();
            if (parts.length == 2) {
                assertThat(headings(file)).as(target).contains(parts[1]);
            }
        }
        assertThat(links).isPositive();
    }

    /**
     * The example worker, idle for ten hours of virtual time with its meters bound as the worker main binds them
     * (depth sampled every 60 s by default): its pollers' empty long polls and its depth samples, counted by the worker
     * itself and scaled to a month.
     */
    @Test
    void theIdleCostsItQuotesAreWhatAnIdleExampleWorkerMakes() {
        Map<String, Long> perMonth = new HashMap<>();
        try (InMemoryWorld world = new InMemoryWorld(Threads.INLINE, 3)) {
            Worker worker = Sluice.worker(Guice.createInjector(new OrderProcessingModule()))
                    .transport(world.sqs).scheduler(world.time).executor(world.handlerExecutor())
                    .settings(SluiceSettings.of(Map.of())).meterRegistry(new SimpleMeterRegistry()).build();
            world.join(worker.startAsync());
            Map<String, Long> before = counts(worker);
            for (long step = 0; step < MEASURED.toSeconds() / 10; step++) {
                world.time.advance(Duration.ofSeconds(10));
                world.settle();
            }
            counts(worker).forEach((call, count) -> perMonth.put(call,
                    (count - before.getOrDefault(call, 0L)) * (MONTH.toSeconds() / MEASURED.toSeconds())));
            VirtualStop.stop(worker, world.time, Duration.ofSeconds(5));
        }
        long onePoller = perMonth.get(PaymentProcessor.QUEUE + " ReceiveMessage"); // concurrency 10: one poller
        long tenPollers = perMonth.get(OrderProcessor.QUEUE + " ReceiveMessage"); // the default 100: ten
        long depthSamples = perMonth.get(OrderProcessor.QUEUE + " GetQueueAttributes");

        assertThat(tenPollers).isEqualTo(10 * onePoller);
        assertThat(perMonth.get(PaymentProcessor.QUEUE + " GetQueueAttributes")).isEqualTo(depthSamples);
        assertThat(TEXT).contains(number(onePoller), number(tenPollers), number(depthSamples),
                number(perMonth.values().stream().mapToLong(Long::longValue).sum()));
    }

    private static Map<String, Long> counts(Worker worker) {
        Map<String, Long> counts = new HashMap<>();
        for (SqsCallStats stats : worker.sqsCalls()) {
            counts.put(stats.queue() + " " + stats.action(), stats.calls());
        }
        return counts;
    }

    private static String number(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** The anchors GitHub gives a Markdown file's headings. */
    private static Set<String> headings(Path file) {
        Set<String> anchors = new TreeSet<>();
        for (String line : OpsFiles.text(file).split("\n")) {
            if (line.startsWith("#")) {
                anchors.add(line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 -]", "")
                        .replace(' ', '-'));
            }
        }
        return anchors;
    }
}
