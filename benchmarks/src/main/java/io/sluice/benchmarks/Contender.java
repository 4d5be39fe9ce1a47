package io.sluice.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * One way of draining the benchmark queue, run inside the consumer JVM on the shared, instrumented SQS client. A spec
 * names it and its options: {@code sluice}, {@code sluice:concurrency=100,pollers=10}, {@code raw:loops=8}. Adding a
 * contender (e.g. Sluice on the in-memory transport) is one more implementation and one more case in {@link #parse}.
 */
interface Contender extends AutoCloseable {

    /** Starts consuming {@code queueName} at {@code queueUrl}; returns once running. */
    void start(SqsAsyncClient client, String queueName, String queueUrl, Workload workload) throws Exception;

    /** How many receive loops this contender runs (for idle cost per poller). */
    int pollers();

    /**
     * What this contender observed of itself for the result line (e.g. Sluice's concurrency limit over the run), read
     * once the run's window closed; empty by default.
     */
    default Map<String, Object> details() {
        return Map.of();
    }

    /** Stops consuming; need not wait for open long polls. */
    @Override
    void close();

    static Contender parse(String spec) {
        String kind = spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec;
        Map<String, String> options = options(spec);
        return switch (kind) {
            case "sluice" -> new SluiceContender(options);
            case "raw" -> new RawLoopContender(options);
            default -> throw new IllegalArgumentException("unknown contender '" + spec + "': use sluice[:k=v,...] or raw[:k=v,...]");
        };
    }

    static Map<String, String> options(String spec) {
        Map<String, String> options = new LinkedHashMap<>();
        int colon = spec.indexOf(':');
        if (colon >= 0) {
            for (String pair : spec.substring(colon + 1).split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                String[] kv = pair.split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("contender option '" + pair + "' in '" + spec + "' is not key=value");
                }
                options.put(kv[0].trim(), kv[1].trim());
            }
        }
        return options;
    }

    static int intOption(Map<String, String> options, String key, int otherwise) {
        String value = options.get(key);
        return value == null ? otherwise : Integer.parseInt(value);
    }
}
