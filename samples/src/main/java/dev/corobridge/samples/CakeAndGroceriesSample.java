package dev.corobridge.samples;

import dev.corobridge.Coroutines;
import dev.corobridge.test.VirtualTime;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/*
 * Seed 004: bake a cake (15 minutes of dough, 45 in the oven) and buy groceries (20 minutes).
 *
 * What to notice:
 *  - One after the other it takes 80 minutes; concurrently 60: while the cake is in the oven,
 *    nobody has to stand and watch it, so the shopping fits inside the baking.
 *  - On the virtual clock (VirtualTime.run) both answers come back at once in real time,
 *    exactly 80 and 60 minutes: this is how you test code that waits for hours.
 *  - Scaled to real time (1 minute = 5 ms) the same code takes about 400 vs 300 ms.
 */
final class CakeAndGroceriesSample implements Sample {
    static final Duration REAL_MINUTE = Duration.ofMillis(5);

    record Result(Duration sequentialVirtual, Duration concurrentVirtual, Duration sequentialReal, Duration concurrentReal) {}

    @Override
    public String name() {
        return "cake";
    }

    @Override
    public String title() {
        return "bake a cake and buy groceries: 80 minutes in sequence, 60 concurrently (seed 004)";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        demonstrate(out);
    }

    static Result demonstrate(PrintStream out) throws Exception {
        Duration minute = Duration.ofMinutes(1);
        Duration sequentialVirtual = VirtualTime.run(scope -> sequentially(minute).thenApply(done -> VirtualTime.currentTime()));
        Duration concurrentVirtual = VirtualTime.run(scope -> concurrently(minute).thenApply(done -> VirtualTime.currentTime()));
        out.println("virtual clock: sequentially " + sequentialVirtual.toMinutes() + " min, concurrently "
                + concurrentVirtual.toMinutes() + " min (no real waiting)");

        Duration sequentialReal = Stopwatch.time(() -> Coroutines.run(scope -> sequentially(REAL_MINUTE)));
        Duration concurrentReal = Stopwatch.time(() -> Coroutines.run(scope -> concurrently(REAL_MINUTE)));
        out.println("real clock, 1 min = 5 ms: sequentially " + sequentialReal.toMillis() + " ms, concurrently "
                + concurrentReal.toMillis() + " ms");
        return new Result(sequentialVirtual, concurrentVirtual, sequentialReal, concurrentReal);
    }

    private static CompletableFuture<List<String>> sequentially(Duration minute) {
        return bakeCake(minute).thenCompose(cake -> buyGroceries(minute).thenApply(food -> List.of(cake, food)));
    }

    private static CompletableFuture<List<String>> concurrently(Duration minute) {
        return Coroutines.gather(List.of(Coroutines.async(() -> bakeCake(minute)), Coroutines.async(() -> buyGroceries(minute))));
    }

    private static CompletableFuture<String> bakeCake(Duration minute) {
        return Coroutines.sleep(minute.multipliedBy(15))                       // make the dough
                .thenCompose(dough -> Coroutines.sleep(minute.multipliedBy(45))) // in the oven
                .thenApply(baked -> "cake");
    }

    private static CompletableFuture<String> buyGroceries(Duration minute) {
        return Coroutines.sleep(minute.multipliedBy(20)).thenApply(bought -> "groceries");
    }
}
