package dev.corobridge.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Runs an asynchronous step a number of times, one after the other, without growing the stack. */
final class Sequence {
    private Sequence() {}

    static CompletableFuture<Void> repeat(int times, Supplier<? extends CompletableFuture<?>> step) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        next(times, step, done);
        return done;
    }

    private static void next(int remaining, Supplier<? extends CompletableFuture<?>> step, CompletableFuture<Void> done) {
        int left = remaining;
        while (left > 0) {
            CompletableFuture<?> current = step.get();
            left--;
            if (!current.isDone()) {
                int after = left;
                current.whenComplete((value, failure) -> {
                    if (failure != null) {
                        done.completeExceptionally(failure);
                    } else {
                        next(after, step, done);
                    }
                });
                return;
            }
            if (current.isCompletedExceptionally()) {
                current.whenComplete((value, failure) -> done.completeExceptionally(failure));
                return;
            }
        }
        done.complete(null);
    }
}
