package dev.corobridge;

import dev.corobridge.bridge.InlineBody;
import dev.corobridge.bridge.LaunchKt;
import dev.corobridge.bridge.Stages;
import dev.corobridge.bridge.sync.Waits;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The fast path of {@link AsyncSemaphore#withPermit} and {@link AsyncMutex#withLock}, taken when
 * the permit or lock was free: the body runs at once on the calling thread, and if its stage is
 * already complete the permit goes back and the task is returned complete, with no coroutine at
 * all. Only a stage still pending gets a coroutine, to wait for it while holding.
 *
 * <p>Nothing a user can observe differs from the coroutine path: the body runs on the same thread
 * (the coroutine path starts undispatched), the permit is released before the task completes, the
 * task carries the body's original exception, and detached work the body starts is cancelled if
 * the body ends failed or cancelled ({@link InlineBody}).
 */
final class Holding {
    private Holding() {}

    /**
     * Runs {@code body}, whose caller has just taken what {@code release} gives back, and gives it
     * back however the body ends.
     */
    static <T extends @Nullable Object> Task<T> run(Supplier<? extends CompletionStage<T>> body, Runnable release) {
        InlineBody inline = InlineBody.enter();
        CompletableFuture<T> stage;
        try {
            stage = Stages.toFuture(LaunchKt.stageOf(body));
        } catch (Throwable failure) {
            inline.leave();
            return released(release, inline, null, failure);
        }
        inline.leave();
        if (!stage.isDone()) {
            Task<T> task = Waits.awaitHolding(stage, release, Task::settledBy);
            inline.finishWith(task.job());
            return task;
        }
        T value;
        try {
            value = stage.join();
        } catch (Throwable failure) {
            return released(release, inline, null, Stages.unwrap(failure));
        }
        return released(release, inline, value, null);
    }

    /**
     * Gives back what the body held, then ends the task with the body's outcome; a release that
     * throws (the holder's permit or lock was released by someone else meanwhile) fails the task
     * with that exception instead, as a {@code finally} block that throws would.
     */
    private static <T extends @Nullable Object> Task<T> released(
            Runnable release, InlineBody inline, @Nullable T value, @Nullable Throwable failure) {
        Throwable outcome = failure;
        try {
            release.run();
        } catch (Throwable releaseFailure) {
            outcome = releaseFailure;
        }
        inline.finish(outcome != null);
        return outcome == null ? Task.done(value) : Task.failed(outcome);
    }
}
