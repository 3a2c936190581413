package dev.corobridge.benchmarks;

import dev.corobridge.Calls;
import dev.corobridge.Coroutines;
import dev.corobridge.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * Seed 000's and seed 004's scenarios with corobridge, timed like benchmarks/python/scenarios.py
 * does with asyncio: one JSON object per line. Each runs three times and the best time is kept,
 * on both sides alike.
 */
public final class Scenarios {
    private Scenarios() {}

    /** Code to time. */
    interface Scenario {
        void run() throws Exception;
    }

    /**
     * Runs the scenarios.
     *
     * @param args the number of calls for seed 000 (default 100,000)
     * @throws Exception if a scenario fails
     */
    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        List<Integer> inputs = IntStream.range(0, calls).boxed().toList();
        String name = String.format(Locale.ROOT, "%,d", calls);
        timed("seed 000: " + name + " calls, 1 ms each, 1,000 in flight",
                () -> Calls.over(inputs).concurrency(1000).map(i -> Coroutines.sleep(Duration.ofMillis(1)).thenApply(slept -> i)).join());
        timed("seed 000: " + name + " calls, 0 ms each, 1,000 in flight",
                () -> Calls.over(inputs).concurrency(1000).map(CompletableFuture::completedFuture).join());
        Duration minute = Duration.ofMillis(5);
        timed("seed 004: cake and groceries, 1 min = 5 ms (ideal 300 ms)", () -> Coroutines.run(scope -> Coroutines.gather(List.of(
                scope.async(() -> Coroutines.sleep(minute.multipliedBy(15)).thenCompose(dough -> Coroutines.sleep(minute.multipliedBy(45)))),
                scope.async(() -> Coroutines.sleep(minute.multipliedBy(20)))))));
        timed("seed 004: five 100 ms waits (ideal 100 ms)", () -> Coroutines.run(scope -> {
            List<Task<Void>> waits = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                waits.add(scope.async(() -> Coroutines.sleep(Duration.ofMillis(100))));
            }
            return Coroutines.gather(waits);
        }));
    }

    private static void timed(String scenario, Scenario work) throws Exception {
        double best = Double.MAX_VALUE;
        for (int run = 0; run < 3; run++) {
            long start = System.nanoTime();
            work.run();
            best = Math.min(best, (System.nanoTime() - start) / 1e6);
        }
        System.out.printf(Locale.ROOT, "{\"scenario\": \"%s\", \"runtime\": \"corobridge\", \"ms\": %.1f}%n", scenario, best);
    }
}
