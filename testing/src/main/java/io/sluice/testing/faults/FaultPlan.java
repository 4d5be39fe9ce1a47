package io.sluice.testing.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Which faults to inject into SQS calls and how often: per action, a rate (0..1) for each {@link Fault}, plus the seed
 * that makes the choices repeatable, the delay range of {@link Fault#LATENCY} and how long a {@link Fault#TIMEOUT}
 * lasts. Immutable; one plan can drive a {@link FaultInjectingTransport} and a {@link FaultProxy} alike.
 *
 * <pre>{@code
 * // 5 % of all SQS calls fail, a third of them as lost responses, the rest throttled, 500 or reset in equal parts
 * FaultPlan plan = FaultPlan.builder().seed(7).allActions(0.05).lostResponseShare(1 / 3.0).build();
 *
 * // or cell by cell
 * FaultPlan receives = FaultPlan.builder().seed(7)
 *         .rate(SqsAction.RECEIVE_MESSAGE, Fault.THROTTLING, 0.02)
 *         .rate(Fault.LATENCY, 0.10).latency(Duration.ofMillis(50), Duration.ofSeconds(2))
 *         .build();
 * }</pre>
 *
 * <p>How the settings combine, whatever order they are given in: {@link Builder#allActions} spreads a failure rate
 * over every action (its {@link Builder#lostResponseShare} as {@link Fault#LOST_RESPONSE}, the rest in equal parts over
 * the {@link Builder#failureMix} kinds that apply to the action); {@link Builder#rate(Fault, double)} then sets one
 * kind's rate on every action it applies to, and {@link Builder#rate(SqsAction, Fault, double)} one action's. Per
 * action the rates must add up to at most 1.
 */
public final class FaultPlan {

    /** Shortest added delay of {@link Fault#LATENCY} unless set. */
    public static final Duration DEFAULT_LATENCY_MIN = Duration.ofMillis(50);
    /** Longest added delay of {@link Fault#LATENCY} unless set. */
    public static final Duration DEFAULT_LATENCY_MAX = Duration.ofMillis(500);
    /**
     * How long a timed-out call lasts in {@link FaultInjectingTransport} unless set: the read timeout of the client
     * {@link io.sluice.transport.SqsTransport#create} builds.
     */
    public static final Duration DEFAULT_TIMEOUT_AFTER = Duration.ofSeconds(40);
    /** The kinds {@link Builder#allActions} spreads its failures over unless set: answered at once, retried by the SDK. */
    public static final List<Fault> DEFAULT_FAILURE_MIX = List.of(Fault.THROTTLING, Fault.SERVER_ERROR,
            Fault.CONNECTION_RESET);

    private final Builder settings;
    private final Map<SqsAction, double[]> rates;

    private FaultPlan(Builder settings, Map<SqsAction, double[]> rates) {
        this.settings = settings;
        this.rates = rates;
    }

    /** A plan that injects nothing (a transport or proxy with it only counts calls). */
    public static FaultPlan none() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this plan's settings, to derive another (another seed for another process, say). */
    public Builder toBuilder() {
        return settings.copy();
    }

    /** The seed of the random choices: the same plan over the same sequence of calls makes the same choices. */
    public long seed() {
        return settings.seed;
    }

    /** The share (0..1) of {@code action}'s calls that get {@code fault}. */
    public double rate(SqsAction action, Fault fault) {
        return rates.get(Objects.requireNonNull(action, "action"))[Objects.requireNonNull(fault, "fault").ordinal()];
    }

    /** The share of {@code action}'s calls that get any fault but {@link Fault#LATENCY}. */
    public double failureRate(SqsAction action) {
        double sum = 0;
        for (Fault fault : Fault.values()) {
            sum += fault == Fault.LATENCY ? 0 : rate(action, fault);
        }
        return sum;
    }

    /** Whether no call of any action gets a fault. */
    public boolean injectsNothing() {
        return rates.values().stream().allMatch(row -> Arrays.stream(row).allMatch(rate -> rate == 0));
    }

    /** The shortest delay {@link Fault#LATENCY} adds. */
    public Duration latencyMin() {
        return settings.latencyMin;
    }

    /** The longest delay {@link Fault#LATENCY} adds. */
    public Duration latencyMax() {
        return settings.latencyMax;
    }

    /** How long a call with {@link Fault#TIMEOUT} lasts in {@link FaultInjectingTransport} before it fails. */
    public Duration timeoutAfter() {
        return settings.timeoutAfter;
    }

    /** {@code FaultPlan{seed 7; ReceiveMessage: THROTTLING 1.11 %, ...; ...}}: the actions with a fault. */
    @Override
    public String toString() {
        String byAction = rates.entrySet().stream()
                .filter(entry -> Arrays.stream(entry.getValue()).anyMatch(rate -> rate > 0))
                .map(entry -> entry.getKey() + ": " + Arrays.stream(Fault.values())
                        .filter(fault -> entry.getValue()[fault.ordinal()] > 0)
                        .map(fault -> fault + " " + percent(entry.getValue()[fault.ordinal()]))
                        .collect(Collectors.joining(", ")))
                .collect(Collectors.joining("; "));
        return "FaultPlan{seed " + seed() + "; " + (byAction.isEmpty() ? "no faults" : byAction)
                + (byAction.contains(Fault.LATENCY.name()) ? "; latency " + latencyMin() + ".." + latencyMax() : "")
                + (byAction.contains(Fault.TIMEOUT.name()) ? "; timeout after " + timeoutAfter() : "") + '}';
    }

    private static String percent(double rate) {
        return String.format(java.util.Locale.ROOT, "%.3g %%", rate * 100);
    }

    /**
     * Builds a {@link FaultPlan}. Each setter rejects a bad value at once, naming it; {@link #build()} rejects settings
     * that do not fit together, listing every problem.
     */
    public static final class Builder {
        private long seed = 1;
        private double allActions;
        private double lostResponseShare;
        private List<Fault> failureMix = DEFAULT_FAILURE_MIX;
        private final Map<Fault, Double> byFault = new EnumMap<>(Fault.class);
        private final Map<SqsAction, Map<Fault, Double>> byAction = new EnumMap<>(SqsAction.class);
        private Duration latencyMin = DEFAULT_LATENCY_MIN;
        private Duration latencyMax = DEFAULT_LATENCY_MAX;
        private Duration timeoutAfter = DEFAULT_TIMEOUT_AFTER;

        private Builder() {
        }

        /** The seed of the random choices (1 unless set). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Makes {@code failureRate} of every action's calls fail: {@link #lostResponseShare} of them as {@link
         * Fault#LOST_RESPONSE}, the rest in equal parts over the {@link #failureMix} kinds that apply to the action.
         */
        public Builder allActions(double failureRate) {
            this.allActions = share("allActions", "failureRate", failureRate);
            return this;
        }

        /** The share (0..1, 0 unless set) of the {@link #allActions} failures that are {@link Fault#LOST_RESPONSE}. */
        public Builder lostResponseShare(double share) {
            this.lostResponseShare = share("lostResponseShare", "share", share);
            return this;
        }

        /**
         * The kinds the rest of the {@link #allActions} failures are spread over, in equal parts ({@link
         * #DEFAULT_FAILURE_MIX} unless set). {@link Fault#PARTIAL_BATCH} counts only on batch actions; {@link
         * Fault#LATENCY} is no failure, {@link Fault#LOST_RESPONSE} has its own share and {@link
         * Fault#CONNECTION_REFUSED} is for outages, so none of them may be in the mix.
         */
        public Builder failureMix(Fault... kinds) {
            Objects.requireNonNull(kinds, "kinds");
            if (kinds.length == 0) {
                throw new IllegalArgumentException("FaultPlan.failureMix needs at least one kind, but was empty");
            }
            List<Fault> mix = new ArrayList<>();
            for (Fault kind : kinds) {
                Objects.requireNonNull(kind, "failureMix kind");
                if (kind == Fault.LATENCY || kind == Fault.LOST_RESPONSE || kind == Fault.CONNECTION_REFUSED) {
                    throw new IllegalArgumentException("FaultPlan.failureMix cannot take " + kind + ": " + switch (kind) {
                        case LATENCY -> "it is no failure; set it with rate(Fault.LATENCY, rate)";
                        case LOST_RESPONSE -> "its share is set with lostResponseShare(share)";
                        default -> "it is for outages only (an open connection cannot be refused)";
                    });
                }
                if (mix.contains(kind)) {
                    throw new IllegalArgumentException("FaultPlan.failureMix names " + kind + " twice in "
                            + Arrays.toString(kinds));
                }
                mix.add(kind);
            }
            this.failureMix = List.copyOf(mix);
            return this;
        }

        /** Gives {@code fault} to {@code rate} of the calls of every action it applies to (replacing allActions'). */
        public Builder rate(Fault fault, double rate) {
            rateable(fault);
            byFault.put(fault, share("rate", "rate of " + fault, rate));
            return this;
        }

        /** Gives {@code fault} to {@code rate} of {@code action}'s calls (replacing what other settings gave it). */
        public Builder rate(SqsAction action, Fault fault, double rate) {
            Objects.requireNonNull(action, "action");
            rateable(fault);
            double checked = share("rate", "rate of " + fault + " for " + action, rate);
            if (fault == Fault.PARTIAL_BATCH && !action.isBatch() && checked > 0) {
                throw new IllegalArgumentException("FaultPlan.rate: PARTIAL_BATCH applies to batch actions only ("
                        + batchActions() + "), not " + action);
            }
            byAction.computeIfAbsent(action, key -> new EnumMap<>(Fault.class)).put(fault, checked);
            return this;
        }

        /** A fixed delay for {@link Fault#LATENCY}. */
        public Builder latency(Duration delay) {
            return latency(delay, delay);
        }

        /** A delay for {@link Fault#LATENCY} drawn evenly from {@code min}..{@code max} per call. */
        public Builder latency(Duration min, Duration max) {
            Objects.requireNonNull(min, "min");
            Objects.requireNonNull(max, "max");
            if (min.isNegative() || max.isNegative() || min.compareTo(max) > 0) {
                throw new IllegalArgumentException("FaultPlan.latency needs 0 <= min <= max, but was " + min + ".."
                        + max);
            }
            this.latencyMin = min;
            this.latencyMax = max;
            return this;
        }

        /**
         * How long a call with {@link Fault#TIMEOUT} lasts in {@link FaultInjectingTransport} before it fails ({@link
         * #DEFAULT_TIMEOUT_AFTER} unless set). The proxy does not use it: there the client's own timeout decides.
         */
        public Builder timeoutAfter(Duration timeoutAfter) {
            Objects.requireNonNull(timeoutAfter, "timeoutAfter");
            if (timeoutAfter.isNegative() || timeoutAfter.isZero()) {
                throw new IllegalArgumentException("FaultPlan.timeoutAfter must be positive, but was " + timeoutAfter);
            }
            this.timeoutAfter = timeoutAfter;
            return this;
        }

        /**
         * The plan.
         *
         * @throws IllegalArgumentException listing every action whose rates add up to more than 1, and every action
         *                                  that the failure mix cannot fail
         */
        public FaultPlan build() {
            Map<SqsAction, double[]> rates = new EnumMap<>(SqsAction.class);
            List<String> problems = new ArrayList<>();
            for (SqsAction action : SqsAction.values()) {
                double[] row = new double[Fault.values().length];
                List<Fault> mix = failureMix.stream()
                        .filter(kind -> kind != Fault.PARTIAL_BATCH || action.isBatch()).toList();
                double spread = allActions * (1 - lostResponseShare);
                if (spread > 0 && mix.isEmpty()) {
                    problems.add("failureMix " + failureMix + " has no kind that can fail " + action
                            + ": add one that applies to every action");
                }
                row[Fault.LOST_RESPONSE.ordinal()] = allActions * lostResponseShare;
                mix.forEach(kind -> row[kind.ordinal()] += spread / mix.size());
                byFault.forEach((fault, rate) -> {
                    if (fault != Fault.PARTIAL_BATCH || action.isBatch()) {
                        row[fault.ordinal()] = rate;
                    }
                });
                byAction.getOrDefault(action, Map.of()).forEach((fault, rate) -> row[fault.ordinal()] = rate);
                double sum = Arrays.stream(row).sum();
                if (sum > 1 + 1e-9) {
                    problems.add("the rates of " + action + " add up to " + String.format(java.util.Locale.ROOT,
                            "%.4f", sum) + ", more than 1");
                }
                rates.put(action, row);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("FaultPlan: " + String.join("; ", problems));
            }
            return new FaultPlan(copy(), rates);
        }

        private Builder copy() {
            Builder copy = new Builder();
            copy.seed = seed;
            copy.allActions = allActions;
            copy.lostResponseShare = lostResponseShare;
            copy.failureMix = failureMix;
            copy.byFault.putAll(byFault);
            byAction.forEach((action, faults) -> copy.byAction.put(action, new EnumMap<>(faults)));
            copy.latencyMin = latencyMin;
            copy.latencyMax = latencyMax;
            copy.timeoutAfter = timeoutAfter;
            return copy;
        }

        private static void rateable(Fault fault) {
            Objects.requireNonNull(fault, "fault");
            if (fault == Fault.CONNECTION_REFUSED) {
                throw new IllegalArgumentException("FaultPlan.rate cannot take CONNECTION_REFUSED: an open connection"
                        + " cannot be refused; start an outage with FaultControl.outage(Fault.CONNECTION_REFUSED)");
            }
        }

        private static double share(String method, String what, double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException("FaultPlan." + method + ": " + what + " must be between 0 and 1,"
                        + " but was " + value);
            }
            return value;
        }

        private static String batchActions() {
            return Arrays.stream(SqsAction.values()).filter(SqsAction::isBatch).map(SqsAction::actionName)
                    .collect(Collectors.joining(", "));
        }
    }
}
