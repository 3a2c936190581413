package dev.corobridge.testing;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A call waiting on a thread of its own (a put for room, a take for an element), parked by the
 * time {@link #start} returns; {@code flagKept} says whether the thread was still interrupted when
 * the call returned.
 *
 * @param thread the thread making the call
 * @param done completes with what the call returns, or with its failure
 * @param flagKept whether the thread's interrupt flag was set when the call returned
 * @param <R> what the call returns
 */
public record ParkedCall<R>(Thread thread, CompletableFuture<R> done, AtomicBoolean flagKept) {

    /**
     * Starts {@code call} on a new thread and waits until that thread parks.
     *
     * @param call the call, expected to wait
     * @param <R> what the call returns
     * @return the call, parked
     */
    public static <R> ParkedCall<R> start(Callable<R> call) {
        CompletableFuture<R> done = new CompletableFuture<>();
        AtomicBoolean flagKept = new AtomicBoolean();
        Thread thread = new Thread(() -> {
            try {
                done.complete(call.call());
            } catch (Throwable failure) {
                done.completeExceptionally(failure);
            }
            flagKept.set(Thread.currentThread().isInterrupted());
        });
        thread.start();
        Parked.await(thread);
        return new ParkedCall<>(thread, done, flagKept);
    }

    /**
     * What the call returned, once it has (within 10 seconds), after its thread ended.
     *
     * @return the call's result
     * @throws Exception the call's failure as the cause of an {@link ExecutionException}, or a
     *     timeout
     */
    public R result() throws Exception {
        try {
            return done.get(10, TimeUnit.SECONDS);
        } finally {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
    }
}
