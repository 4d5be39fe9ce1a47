package io.sluice.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** What this JVM uses: process CPU time, heap peaks, heap after GC, and the resident set's high-water mark. */
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
}
