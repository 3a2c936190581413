package dev.corobridge;

import dev.corobridge.bridge.BlockingBody;
import dev.corobridge.bridge.Kept;
import dev.corobridge.bridge.LaunchKt;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import kotlinx.coroutines.CompletableJob;
import kotlinx.coroutines.Deferred;
import kotlinx.coroutines.Job;
import kotlinx.coroutines.JobKt;
import org.jspecify.annotations.Nullable;

/**
 * A running coroutine seen from Java: asyncio's {@code Task}, as a {@link CompletableFuture}.
 *
 * <p>A task completes with its body's value, or exceptionally with the body's <em>original</em>
 * exception. Completing it from outside ({@link #cancel}, {@link #complete},
 * {@link #completeExceptionally}, {@link #orTimeout}) cancels the coroutine; a cancelled
 * coroutine leaves the task cancelled. Like any {@code CompletableFuture}, the task is done as
 * soon as it is cancelled; {@link #cancelAndJoin()} also waits until the coroutine has really
 * finished and its {@code finally} blocks have run.
 *
 * <p>Dependent stages ({@code thenApply} and the rest) are plain {@code CompletableFuture}s:
 * cancelling one of them does not cancel this task.
 *
 * <p>Thread-safe. Tasks are created by {@link Coroutines} and {@link TaskScope}, or adopted from
 * Kotlin with {@link #from(Deferred)} and {@link #from(Job)}.
 *
 * @param <T> the type of the body's value
 */
public final class Task<T> extends CompletableFuture<T> {
    private static final AtomicLong NAMES = new AtomicLong();

    /** The job of tasks that ran to the end without a coroutine (see {@link #done} and {@link #failed}). */
    private static final Job FINISHED = finishedJob();

    private final Job job;
    private final @Nullable BlockingBody<?> blockingBody;
    /** Only for {@link #handingOver}: completes once the coroutine's value has reached this task or the orphan handler. */
    private final @Nullable CompletableFuture<Void> handedOver;
    private volatile @Nullable String name;

    private Task(Job job, @Nullable BlockingBody<?> blockingBody) {
        this(job, blockingBody, null);
    }

    private Task(Job job, @Nullable BlockingBody<?> blockingBody, @Nullable CompletableFuture<Void> handedOver) {
        this.job = job;
        this.blockingBody = blockingBody;
        this.handedOver = handedOver;
    }

    static <T> Task<T> of(Deferred<T> deferred) {
        return of(deferred, null);
    }

    static <T> Task<T> of(Deferred<T> deferred, @Nullable BlockingBody<T> blockingBody) {
        Task<T> task = new Task<>(deferred, blockingBody);
        LaunchKt.completeFrom(deferred, task);
        return task;
    }

    /** A task that ran to the end without a coroutine of its own, with {@code value}. */
    static <T> Task<T> done(T value) {
        Task<T> task = new Task<>(FINISHED, null);
        task.complete(value);
        return task;
    }

    /** A task that ran to the end without a coroutine of its own, with {@code failure}, as it is. */
    static <T> Task<T> failed(Throwable failure) {
        Task<T> task = new Task<>(FINISHED, null);
        task.completeExceptionally(failure);
        return task;
    }

    private static Job finishedJob() {
        CompletableJob job = JobKt.Job(null);
        job.complete();
        return job;
    }

    /**
     * A task for a coroutine that settles it itself as it ends (see {@code Origin.stage}), so no
     * completion handler is registered here.
     */
    static <T> Task<T> settledBy(Job coroutine) {
        return new Task<>(coroutine, null);
    }

    /**
     * A task for a coroutine that hands over an element, which its body puts in {@code kept} as
     * soon as it has it: an element that arrives after the task was cancelled, or that the body got
     * just before the cancellation reached it, is not dropped but given to {@code orphaned}.
     */
    static <T> Task<T> handingOver(Deferred<T> deferred, Kept<T> kept, Consumer<? super T> orphaned) {
        CompletableFuture<Void> handedOver = new CompletableFuture<>();
        Task<T> task = new Task<>(deferred, null, handedOver);
        LaunchKt.completeFrom(deferred, kept, task, orphaned, handedOver);
        return task;
    }

    /**
     * Adopts a Kotlin {@code Deferred} as a task: its value, original exception or cancellation
     * completes the task, and cancelling the task cancels the deferred.
     *
     * @param deferred the Kotlin coroutine
     * @param <T> the type of its value
     * @return a task that follows {@code deferred}
     */
    public static <T> Task<T> from(Deferred<T> deferred) {
        return of(Objects.requireNonNull(deferred, "deferred"));
    }

    /**
     * Adopts a Kotlin {@code Job} as a task that completes with {@code null} when the job
     * completes, or with its failure; cancelling the task cancels the job.
     *
     * @param job the Kotlin job
     * @return a task that follows {@code job}
     */
    public static Task<Void> from(Job job) {
        Objects.requireNonNull(job, "job");
        Task<Void> task = new Task<>(job, null);
        LaunchKt.completeFrom(job, task);
        return task;
    }

    /**
     * Cancels the coroutine. The task completes as cancelled at once; the coroutine finishes its
     * {@code finally} blocks afterwards (see {@link #cancelAndJoin()}).
     *
     * @param mayInterruptIfRunning for a blocking body, whether to interrupt its thread; a stage
     *     body is cancelled either way, and so is the stage it awaits
     * @return whether this call cancelled the task
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        BlockingBody<?> body = blockingBody;
        if (!mayInterruptIfRunning && body != null) {
            body.keepUninterrupted();
        }
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        stopCoroutine();
        return cancelled;
    }

    /**
     * Completes the task with {@code value} if it is not done yet, and then cancels the coroutine.
     *
     * @param value the value
     * @return whether this call completed the task
     */
    @Override
    public boolean complete(T value) {
        boolean completed = super.complete(value);
        stopCoroutine();
        return completed;
    }

    /**
     * Completes the task with {@code ex} if it is not done yet, and then cancels the coroutine.
     *
     * @param ex the exception
     * @return whether this call completed the task
     */
    @Override
    public boolean completeExceptionally(Throwable ex) {
        boolean completed = super.completeExceptionally(ex);
        stopCoroutine();
        return completed;
    }

    private void stopCoroutine() {
        if (LaunchKt.isRunning(job)) {
            job.cancel(null);
        }
    }

    /**
     * Cancels the coroutine, interrupting a blocking body, and returns a future that completes
     * once it has really finished: its {@code finally} blocks ran and its children completed.
     * kotlinx's {@code cancelAndJoin}; {@code CompletableFuture.cancel} alone does not wait. For
     * the task of an {@link AsyncChannel#receive()}, an element the receive had already taken has
     * by then also reached the channel's undelivered-element handler.
     *
     * @return a future completing with {@code null} once the coroutine has finished; it never fails
     */
    public CompletableFuture<Void> cancelAndJoin() {
        cancel(true);
        CompletableFuture<Void> handOver = handedOver;
        return handOver != null ? handOver.copy() : LaunchKt.whenFinished(job);
    }

    /**
     * Returns whether the coroutine is still running: not yet completed and not cancelled. Never
     * {@code true} once this task is done.
     *
     * @return {@code true} while the coroutine is active
     */
    public boolean isActive() {
        // Not job.isActive(): a coroutine that settles its task itself does so just before kotlinx
        // publishes its final state, and a dependent that runs at that moment must not see it active.
        return LaunchKt.isRunning(job);
    }

    /**
     * Returns this task's name, {@code "Task-N"} as in asyncio, numbered when first asked for.
     *
     * @return the name
     */
    public String name() {
        String current = name;
        if (current == null) {
            synchronized (this) {
                current = name;
                if (current == null) {
                    current = "Task-" + NAMES.incrementAndGet();
                    name = current;
                }
            }
        }
        return current;
    }

    /**
     * Returns a new plain {@code CompletableFuture}: the dependents of a task are not tasks.
     *
     * @param <U> the type of the value
     * @return a new incomplete future
     */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }

    Job job() {
        return job;
    }

    @Override
    public String toString() {
        String state = !isDone() ? "pending"
                : isCancelled() ? "cancelled"
                : isCompletedExceptionally() ? "failed"
                : "done";
        return "Task[" + name() + ", " + state + "]";
    }
}
