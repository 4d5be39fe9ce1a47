package io.sluice.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * What this JVM uses: process CPU time, heap peaks, heap after GC, the resident set's high-water mark, and (when the JVM
 * runs with {@code -XX:NativeMemoryTracking=summary}) the committed memory by NMT category.
 */
final class Resources {

    private static final AtomicLong maxAfterGc = new AtomicLong();

    private Resources() {
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP).toList();
    }

    /** Restarts the peak figures: the window of interest begins now. */
    static void resetPeaks() {
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
        maxAfterGc.set(0);
    }

    /** Sum over heap pools of each pool's peak use since {@link #resetPeaks()} (an upper bound of the true peak). */
    static long peakHeapBytes() {
        return heapPools().stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    }

    /** Heap in use right after the latest collection: the live data, which is what the backlog could inflate. */
    static long heapAfterGcBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : heapPools()) {
            MemoryUsage usage = pool.getCollectionUsage();
            if (usage != null) {
                sum += usage.getUsed();
            }
        }
        return sum;
    }

    /** Samples {@link #heapAfterGcBytes()} in the background; {@link #maxHeapAfterGcBytes()} is the largest seen. */
    static void startSampler() {
        Thread sampler = new Thread(() -> {
            while (true) {
                maxAfterGc.accumulateAndGet(heapAfterGcBytes(), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    static long maxHeapAfterGcBytes() {
        return Math.max(maxAfterGc.get(), heapAfterGcBytes());
    }

    /** VmHWM from /proc/self/status in bytes, or -1 where there is no procfs. */
    static long rssHighWaterBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** The NMT categories reported one by one; the rest are summed into {@code rest}. */
    static final List<String> NMT_CATEGORIES = List.of("Java Heap", "Class", "Thread", "Code", "GC", "Compiler",
            "Internal", "Other", "Symbol", "Native Memory Tracking", "Shared class space", "Arena Chunk", "Metaspace");

    private static final Pattern NMT_LINE = Pattern.compile(
            "^-\\s+(.+?) \\(reserved=\\d+(?:[KMG]B)?, committed=(\\d+)([KMG]B)?\\)", Pattern.MULTILINE);
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=\\d+(?:[KMG]B)?, committed=(\\d+)([KMG]B)?");

    /**
     * This JVM's native memory summary now ({@code jcmd <pid> VM.native_memory summary}, through the DiagnosticCommand
     * MBean), or {@code null} when native memory tracking is off.
     */
    static String nativeMemorySummary() {
        boolean tracking = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(arg -> arg.startsWith("-XX:NativeMemoryTracking=") && !arg.endsWith("=off"));
        if (!tracking) {
            return null;
        }
        try {
            return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
        } catch (Exception e) {
            return "NMT failed: " + e;
        }
    }

    /**
     * Committed MiB by category of an NMT summary: {@link #NMT_CATEGORIES} as named (absent ones 0), {@code rest} (every
     * other category) and {@code total}; empty when {@code summary} has no total.
     */
    static Map<String, Double> committedMib(String summary) {
        Map<String, Double> out = new LinkedHashMap<>();
        Matcher total = NMT_TOTAL.matcher(summary == null ? "" : summary);
        if (!total.find()) {
            return out;
        }
        NMT_CATEGORIES.forEach(category -> out.put(category, 0.0));
        double rest = 0;
        Matcher line = NMT_LINE.matcher(summary);
        while (line.find()) {
            double mib = mib(line.group(2), line.group(3));
            if (out.containsKey(line.group(1))) {
                out.put(line.group(1), mib);
            } else {
                rest += mib;
            }
        }
        out.put("rest", rest);
        out.put("total", mib(total.group(1), total.group(2)));
        return out;
    }

    /** {@code amount} of {@code unit} (KB, MB, GB; none: bytes) in MiB. */
    private static double mib(String amount, String unit) {
        double scale = unit == null ? 1.0 / 1048576 : switch (unit) {
            case "KB" -> 1.0 / 1024;
            case "MB" -> 1;
            default -> 1024;
        };
        return Long.parseLong(amount) * scale;
    }
}
