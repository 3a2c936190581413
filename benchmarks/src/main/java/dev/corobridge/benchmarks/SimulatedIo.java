package dev.corobridge.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The simulated I/O call every peer of B1 makes: a future that a timer completes after the
 * latency (the same timer for all peers), or an already-completed one for 0 ms.
 */
final class SimulatedIo {
    private static final ScheduledExecutorService TIMER = timer();

    private SimulatedIo() {}

    private static ScheduledExecutorService timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "simulated-io-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** A call that answers {@code i} after {@code latencyMillis}. */
    static IntFunction<CompletableFuture<Integer>> call(int latencyMillis) {
        if (latencyMillis == 0) {
            return CompletableFuture::completedFuture;
        }
        return i -> {
            CompletableFuture<Integer> answer = new CompletableFuture<>();
            TIMER.schedule(() -> answer.complete(i), latencyMillis, TimeUnit.MILLISECONDS);
            return answer;
        };
    }
}
