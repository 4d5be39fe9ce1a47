package io.sluice.benchmarks;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The footprint of this JVM right after a full GC: retained heap (the old generation's use after that collection, the
 * usual "retained heap" figure), heap in use, RSS ({@code VmRSS}), direct buffers, non-heap and threads. For the soak
 * and the backlog-heap check; {@link Resources} has the peaks of the drain benchmarks.
 */
final class Footprint {

    private Footprint() {
    }

    record Snapshot(double retainedHeapMb, double heapUsedMb, double rssMb, double rssHwmMb, double directMb,
            double nonHeapMb, int threads) {
    }

    /** Runs a full collection ({@code MemoryMXBean.gc()}, i.e. {@code System.gc()}), then reads the figures. */
    static Snapshot afterFullGc() {
        ManagementFactory.getMemoryMXBean().gc();
        return new Snapshot(retainedHeapBytes() / MB,
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / MB,
                procStatus("VmRSS:") / MB, procStatus("VmHWM:") / MB, directBytes() / MB,
                ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getUsed() / MB,
                ManagementFactory.getThreadMXBean().getThreadCount());
    }

    private static final double MB = 1024.0 * 1024.0;

    /**
     * The old generation's use after its latest collection ({@code getCollectionUsage()} of the tenured pool: "G1 Old
     * Gen", "Tenured Gen", "PS Old Gen"...); where no pool looks like one, the sum over heap pools.
     */
    static long retainedHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() != MemoryType.HEAP) {
                continue;
            }
            MemoryUsage usage = pool.getCollectionUsage();
            if (usage == null) {
                continue;
            }
            String name = pool.getName();
            if (name.contains("Old Gen") || name.contains("Tenured")) {
                return usage.getUsed();
            }
            sum += usage.getUsed();
        }
        return sum;
    }

    static long directBytes() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }

    /** A {@code kB} line of /proc/self/status in bytes, or -1 where there is no procfs. */
    static long procStatus(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
