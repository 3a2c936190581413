package dev.corobridge.benchmarks;

import dev.corobridge.Coroutines;
import dev.corobridge.Task;
import dev.corobridge.benchmarks.peers.NativeKotlinx;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * B6: heap bytes per parked task, 1,000,000 tasks each waiting an hour. One kind per JVM run:
 * {@code corobridge-sleep} (a Coroutines.sleep task), {@code corobridge-async} (a task whose body
 * awaits a sleep), {@code kotlinx} (launch { delay }), {@code virtual-threads} (Thread.sleep).
 * Prints one line: kind, count, bytes per task.
 */
public final class ParkedTasksFootprint {
    private ParkedTasksFootprint() {}

    /**
     * Measures one kind.
     *
     * @param args the kind, and optionally the count
     * @throws Exception if the measurement fails
     */
    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        Duration hour = Duration.ofHours(1);
        long before = usedHeapAfterGc();
        Runnable cancelAll;
        switch (kind) {
            case "corobridge-sleep" -> {
                List<Task<?>> tasks = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    tasks.add((Task<?>) Coroutines.sleep(hour));
                }
                cancelAll = () -> tasks.forEach(task -> task.cancel(false));
            }
            case "corobridge-async" -> {
                List<Task<?>> tasks = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    tasks.add(Coroutines.async(() -> Coroutines.sleep(hour)));
                }
                cancelAll = () -> tasks.forEach(task -> task.cancel(false));
            }
            case "kotlinx" -> cancelAll = NativeKotlinx.parkDelays(count);
            case "virtual-threads" -> {
                ExecutorService threads = VirtualThreads.perTask();
                for (int i = 0; i < count; i++) {
                    threads.submit(() -> {
                        Thread.sleep(hour.toMillis());
                        return null;
                    });
                }
                cancelAll = threads::shutdownNow;
            }
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        }
        Thread.sleep(2_000); // let every task reach its wait before measuring (a settle period, not an ordering guess)
        long after = usedHeapAfterGc();
        System.out.printf("%s %d %.0f%n", kind, count, (after - before) / (double) count);
        cancelAll.run();
        System.exit(0);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
