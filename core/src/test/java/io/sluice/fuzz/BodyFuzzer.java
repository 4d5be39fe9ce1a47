package io.sluice.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded message bodies of every bad kind a queue can carry, each with what a worker binding them to an order must do:
 * handle it, or dead-letter it with its reason. Every body is one SQS accepts (its characters are allowed, it is not
 * empty and within 1 MiB): the badness is in the JSON, not in the transport.
 */
public final class BodyFuzzer {

    /** What the worker must do with a body. */
    public enum Expect { HANDLED, DEAD_LETTERED }

    /** One generated body, the kind of badness, and the expected outcome. */
    public record Body(String kind, String text, Expect expect) {
    }

    private final SplittableRandom random;

    public BodyFuzzer(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** {@code count} bodies, kinds drawn in turn so that every kind appears. */
    public List<Body> bodies(int count) {
        List<Body> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            bodies.add(next(i));
        }
        return bodies;
    }

    private Body next(int index) {
        String id = "o-" + index + "-" + Long.toHexString(random.nextLong());
        return switch (index % 17) {
            case 0 -> handled("valid", order(id, quantity()));
            case 1 -> handled("unknown fields", "{\"order_id\":\"" + id + "\",\"quantity\":" + quantity()
                    + ",\"coupon\":{\"code\":\"X\",\"nested\":[1,2,{\"deep\":true}]},\"extra\":null}");
            case 2 -> dead("missing order_id", "{\"quantity\":" + quantity() + "}");
            case 3 -> dead("wrong type", "{\"order_id\":\"" + id + "\",\"quantity\":\"" + word() + "\"}");
            case 4 -> dead("wrong shape for a field", "{\"order_id\":{\"id\":\"" + id + "\"},\"quantity\":1}");
            case 5 -> dead("truncated", truncate(order(id, quantity())));
            case 6 -> dead("invalid escape", "{\"order_id\":\"" + id + "\\u12G4\",\"quantity\":1}");
            case 7 -> handled("escaped lone surrogate", "{\"order_id\":\"" + id + "\\ud800\",\"quantity\":1}");
            case 8 -> dead("number beyond int", "{\"order_id\":\"" + id + "\",\"quantity\":"
                    + "9".repeat(1 + random.nextInt(40, 900)) + "}");
            case 9 -> dead("huge exponent", "{\"order_id\":\"" + id + "\",\"quantity\":1e" + random.nextInt(400,
                    999_999_999) + "}");
            case 10 -> dead("deep nesting", "{\"order_id\":\"" + id + "\",\"quantity\":1,\"x\":"
                    + "[".repeat(10_000) + "]".repeat(10_000) + "}");
            case 11 -> index % 51 == 11 ? handled("large string", "{\"order_id\":\"" + id + "\",\"quantity\":1,"
                    + "\"note\":\"" + "n".repeat(random.nextInt(500_000, 1_000_000)) + "\"}")
                    : handled("long string", "{\"order_id\":\"" + id + "\",\"quantity\":1,\"note\":\""
                            + "n".repeat(random.nextInt(1_000, 50_000)) + "\"}");
            case 12 -> dead("duplicate key", "{\"order_id\":\"" + id + "\",\"quantity\":1,\"quantity\":2}");
            case 13 -> dead("blank", " ".repeat(1 + random.nextInt(3)));
            case 14 -> dead("wrong shape", switch (random.nextInt(6)) {
                case 0 -> "[]";
                case 1 -> "\"" + id + "\"";
                case 2 -> "42";
                case 3 -> "true";
                case 4 -> "null";
                default -> "[{\"order_id\":\"" + id + "\",\"quantity\":1}]";
            });
            case 15 -> handled("class names as data", "{\"order_id\":\"" + id + "\",\"quantity\":1,\"extra\":"
                    + "[\"org.springframework.context.support.ClassPathXmlApplicationContext\","
                    + "\"http://127.0.0.1:1/evil.xml\"],\"payload\":[\"java.lang.ProcessBuilder\",{}]}");
            default -> dead("not json", word() + " " + word());
        };
    }

    private static String order(String id, int quantity) {
        return "{\"order_id\":\"" + id + "\",\"quantity\":" + quantity + "}";
    }

    private int quantity() {
        return random.nextInt(1, 100);
    }

    private String word() {
        StringBuilder word = new StringBuilder();
        int length = random.nextInt(1, 12);
        for (int i = 0; i < length; i++) {
            word.append((char) ('a' + random.nextInt(26)));
        }
        return word.toString();
    }

    private String truncate(String json) {
        return json.substring(0, random.nextInt(1, json.length() - 1));
    }

    private static Body handled(String kind, String text) {
        return new Body(kind, text, Expect.HANDLED);
    }

    private static Body dead(String kind, String text) {
        return new Body(kind, text, Expect.DEAD_LETTERED);
    }
}
