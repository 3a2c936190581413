package dev.corobridge.samples;

import dev.corobridge.Coroutines;
import dev.corobridge.Task;
import dev.corobridge.TaskScope;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/*
 * Seeds 001, 002 and 004: the event loop. Coroutines.run is asyncio.run: one thread runs every
 * task, switching only where a task waits.
 *
 * What to notice:
 *  - A ticker wants to tick every 10 ms for 200 ms (about 20 ticks).
 *  - A CPU-bound loop that never waits starves it: while it computes, nothing else runs, and the
 *    ticker gets almost no ticks in ("long CPU intensive tasks must release the CPU").
 *  - Cure 1: compute in slices and sleep(Duration.ZERO) between them (asyncio.sleep(0)), so the
 *    loop can run the ticker in between.
 *  - Cure 2: move the computation off the loop with asyncBlocking (a virtual thread on JDK 21+).
 */
final class EventLoopSample implements Sample {
    static final Duration TICK = Duration.ofMillis(10);
    static final Duration BUSY = Duration.ofMillis(200);

    record Result(int starved, int sliced, int offloaded) {}

    @Override
    public String name() {
        return "loop";
    }

    @Override
    public String title() {
        return "the event loop: a CPU-bound task starves it; yielding and asyncBlocking cure it (seeds 001, 002, 004)";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        demonstrate(out);
    }

    static Result demonstrate(PrintStream out) throws Exception {
        int starved = ticksWhile(scope -> scope.async(() -> CompletableFuture.completedFuture(spin(BUSY))));
        int sliced = ticksWhile(scope -> scope.async(() -> spinInSlices(System.nanoTime() + BUSY.toNanos())));
        int offloaded = ticksWhile(scope -> scope.asyncBlocking(() -> spin(BUSY)));
        out.printf("ticks in %d ms: starved %d, yielding %d, asyncBlocking %d%n", BUSY.toMillis(), starved, sliced, offloaded);
        return new Result(starved, sliced, offloaded);
    }

    interface Work {
        Task<Long> start(TaskScope scope);
    }

    /** Runs a ticker next to {@code work} on one event loop; returns how many ticks got in meanwhile. */
    private static int ticksWhile(Work work) throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        return Coroutines.run(scope -> {
            Task<Long> busy = work.start(scope);
            scope.async(() -> tick(ticks, busy));
            return busy.thenApply(done -> ticks.get());
        });
    }

    private static CompletableFuture<Void> tick(AtomicInteger ticks, Task<Long> busy) {
        return Coroutines.sleep(TICK).thenCompose(slept -> {
            if (busy.isDone()) {
                return CompletableFuture.completedFuture(null);
            }
            ticks.incrementAndGet();
            return tick(ticks, busy);
        });
    }

    private static CompletableFuture<Long> spinInSlices(long deadline) {
        if (System.nanoTime() >= deadline) {
            return CompletableFuture.completedFuture(0L);
        }
        spin(Duration.ofMillis(1));
        return Coroutines.sleep(Duration.ZERO).thenCompose(yielded -> spinInSlices(deadline));
    }

    /** Keeps the CPU busy for {@code duration}, like a long computation. */
    private static long spin(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        long spins = 0;
        while (System.nanoTime() < deadline) {
            spins++;
        }
        return spins;
    }
}
