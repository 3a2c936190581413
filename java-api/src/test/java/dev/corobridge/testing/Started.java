package dev.corobridge.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.Task;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Starts a task whose body returns a given stage, and returns only once the body has run: from
 * then on the task owns the stage. Without this wait, a task cancelled before its body was
 * dispatched never touches the stage at all.
 */
public final class Started {
    private Started() {}

    /** Starts {@code start.apply(body)} and waits until the body has handed over {@code stage}. */
    public static <T> Task<T> awaiting(CompletionStage<T> stage, Function<Supplier<CompletionStage<T>>, Task<T>> start)
            throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        Task<T> task = start.apply(() -> {
            ran.countDown();
            return stage;
        });
        assertTrue(ran.await(5, TimeUnit.SECONDS), "the body did not run within 5 s");
        return task;
    }
}
