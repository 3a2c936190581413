package dev.corobridge;

import dev.corobridge.bridge.BlockingBody;
import dev.corobridge.bridge.LaunchKt;
import dev.corobridge.bridge.Origin;
import dev.corobridge.bridge.Stages;
import dev.corobridge.bridge.calls.Retrying;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The static entry points: asyncio's module level, as {@code CompletableFuture}s.
 *
 * <pre>{@code
 * List<String> pages = Coroutines.run(scope -> {
 *     Task<String> a = scope.async(() -> fetch("a"));
 *     Task<String> b = scope.async(() -> fetch("b"));
 *     return Coroutines.gather(List.of(a, b));
 * });
 * }</pre>
 *
 * <h2>Where work runs</h2>
 * Work started here is <em>detached</em>: it has no parent and is owned by whoever holds its
 * future, like {@code CompletableFuture.supplyAsync}, but cancellable. It runs on the <em>running
 * loop</em>: called from inside a body that corobridge runs, on that body's dispatcher (so inside
 * {@link #run} everything stays on the calling thread, and inside a virtual-time test everything
 * follows the virtual clock); called from a plain thread, on kotlinx's {@code Dispatchers.Default}.
 * Detached work started inside {@link #run} is cancelled when {@code run} returns, as asyncio does.
 * For structured children, use the {@link TaskScope} a body is given.
 *
 * <p>The rules of the whole package (nulls, ownership of stages, original exceptions,
 * cancellation) are in its {@linkplain dev.corobridge package description}. Thread-safe.
 */
public final class Coroutines {
    private Coroutines() {}

    /**
     * Runs {@code body} on the calling thread as a single-threaded event loop until the body's
     * stage and every child it started have completed, and returns the stage's value: asyncio's
     * {@code run}, kotlinx's {@code runBlocking}.
     *
     * <p>The scope handed to the body behaves like {@link #taskGroup}: the first child failure
     * cancels the rest and is thrown. Detached tasks started inside (with the static methods of
     * this class) are cancelled and awaited before {@code run} returns.
     *
     * @param body returns the stage whose value {@code run} returns; runs on the calling thread
     * @param <T> the type of the value
     * @return the stage's value
     * @throws Exception the body's or a child's original exception
     * @throws InterruptedException if the calling thread was interrupted; everything was cancelled
     *     and has finished
     * @throws java.util.concurrent.CancellationException if the body's stage was cancelled
     * @throws IllegalStateException if called from a thread that already runs coroutines (a stage
     *     body); use {@link #taskGroup} there
     */
    public static <T extends @Nullable Object> T run(Function<? super TaskScope, ? extends CompletionStage<T>> body)
            throws Exception {
        Objects.requireNonNull(body, "body");
        Checks.mayBlock("Coroutines.run");
        return LaunchKt.runLoop(scope -> body.apply(new TaskScope(scope, false)));
    }

    /**
     * Starts a detached task that awaits the stage {@code body} returns: asyncio's
     * {@code create_task}, {@code CompletableFuture.supplyAsync} but cancellable.
     *
     * @param body a non-blocking body; runs on the running loop (see the class description)
     * @param <T> the type of the value
     * @return the task; cancelling it cancels the body's stage
     */
    public static <T extends @Nullable Object> Task<T> async(Supplier<? extends CompletionStage<T>> body) {
        Objects.requireNonNull(body, "body");
        return Origin.detached().stage(body, Task::settledBy);
    }

    /**
     * Starts a detached task that runs a blocking {@code body}: on a virtual thread on JDK 21+, on
     * kotlinx's bounded I/O pool on JDK 17. Cancelling the task interrupts the body (unless
     * cancelled with {@code cancel(false)}); the body may {@link #await} stages.
     *
     * @param body the blocking body
     * @param <T> the type of the value
     * @return the task
     */
    public static <T extends @Nullable Object> Task<T> asyncBlocking(Callable<T> body) {
        Objects.requireNonNull(body, "body");
        BlockingBody<T> blocking = new BlockingBody<>(body);
        return Task.of(Origin.detached().blocking(blocking), blocking);
    }

    /**
     * Returns a future that completes after {@code duration}, without blocking a thread:
     * asyncio's {@code sleep}, kotlinx's {@code delay}. Inside a body it follows that body's
     * clock; {@code sleep(Duration.ZERO)} lets the running loop run other ready tasks first.
     *
     * @param duration how long to wait
     * @return a future completing with {@code null}; cancelling it cancels the wait
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public static CompletableFuture<Void> sleep(Duration duration) {
        Checks.nonNegative(duration, "duration");
        return Task.of(Origin.detached().sleep(duration));
    }

    /**
     * Starts a task that awaits {@code body}'s stage for at most {@code timeout}: asyncio's
     * {@code wait_for}. If the stage is not complete by then, it is cancelled and the task fails
     * with {@link TimeoutException}. A failure that arrives before the deadline is reported as
     * itself, never as a timeout.
     *
     * @param timeout the longest wait; zero times out unless the stage is already complete
     * @param body returns the stage to await; the stage belongs to the timeout
     * @param <T> the type of the value
     * @return the task
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static <T extends @Nullable Object> Task<T> timeout(Duration timeout, Supplier<? extends CompletionStage<T>> body) {
        Checks.nonNegative(timeout, "timeout");
        Objects.requireNonNull(body, "body");
        return Task.of(Origin.detached().timeout(timeout, body));
    }

    /**
     * Returns a future of every stage's value, in input order: asyncio's {@code gather}. The
     * first failure cancels the other stages and then fails it with that original exception, so
     * that the others are cancelled by the time it fails; cancelling the returned future cancels
     * them all.
     *
     * @param stages the stages; they belong to the gather (pass {@code copy()}s to share)
     * @param <T> the type of the values
     * @return the values in input order, as an unmodifiable list
     */
    public static <T extends @Nullable Object> CompletableFuture<List<T>> gather(
            Collection<? extends CompletionStage<? extends T>> stages) {
        return Gather.all(stages);
    }

    /**
     * Returns a future of every stage's {@link Outcome}, in input order, once all have completed:
     * asyncio's {@code gather(..., return_exceptions=True)}. It never fails; cancelling it cancels
     * the stages.
     *
     * @param stages the stages; they belong to the gather
     * @param <T> the type of the values
     * @return the outcomes in input order, as an unmodifiable list
     */
    public static <T extends @Nullable Object> CompletableFuture<List<Outcome<T>>> gatherSettled(
            Collection<? extends CompletionStage<? extends T>> stages) {
        return Gather.settled(stages);
    }

    /**
     * Returns a future of the first stage to succeed; the others are cancelled before it
     * completes. If every stage fails, it fails with the first failure, the later ones added as
     * suppressed.
     *
     * @param stages at least one stage; they belong to the race
     * @param <T> the type of the values
     * @return the winner's value
     * @throws IllegalArgumentException if {@code stages} is empty
     */
    public static <T extends @Nullable Object> CompletableFuture<T> race(Collection<? extends CompletionStage<? extends T>> stages) {
        return Gather.race(stages);
    }

    /**
     * Returns a generator of the stages' values in the order they complete: asyncio's
     * {@code as_completed}. The first failure ends the generator with that original exception
     * (after the values that came before it) and cancels the stages still running; closing the
     * generator cancels them too.
     *
     * <pre>{@code
     * try (Generator<Page> pages = Coroutines.asCompleted(List.of(fetch(a), fetch(b), fetch(c)))) {
     *     pages.forEach(page -> System.out.println(page.title()));   // fastest first
     * }
     * }</pre>
     *
     * @param stages the stages; they belong to the generator (pass {@code copy()}s to share); none
     *     may complete with {@code null}
     * @param <T> the type of the values
     * @return a generator of the values in completion order
     */
    public static <T> Generator<T> asCompleted(Collection<? extends CompletionStage<? extends T>> stages) {
        return Generator.inCompletionOrder(stages);
    }

    /**
     * Starts a detached task that awaits the stage {@code body} returns and, if it fails with a
     * failure that {@code policy} retries, calls {@code body} again after the policy's backoff,
     * up to its most attempts.
     *
     * <pre>{@code
     * RetryPolicy policy = RetryPolicy.builder().maxAttempts(5).retryOn(IOException.class).build();
     * Task<String> page = Coroutines.retry(policy, () -> fetch(url));
     * }</pre>
     *
     * <p>The task completes with the first value, or fails with the last failure, carrying the
     * earlier ones as suppressed; a failure that the policy does not retry fails it at once. The
     * backoff waits are coroutine delays on the running loop (see the class description), never a
     * blocked thread; cancelling the task cancels the attempt in flight, or ends a backoff wait at
     * once, and no further attempt starts.
     *
     * @param policy how many attempts, how long to wait, which failures to retry
     * @param body starts one attempt and returns its stage, which belongs to the task (return a
     *     {@code copy()} of a shared future); it runs on the running loop and must not block
     * @param <T> the type of the value
     * @return the task
     */
    public static <T extends @Nullable Object> Task<T> retry(RetryPolicy policy, Supplier<? extends CompletionStage<T>> body) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(body, "body");
        return Task.of(Origin.detached().suspendCall(continuation -> Retrying.retrying(policy.rules(), body, continuation)));
    }

    /**
     * Starts a task group: asyncio's {@code TaskGroup}, kotlinx's {@code coroutineScope}. The
     * task completes after the body's stage <em>and</em> every child started on the scope; the
     * first child failure cancels the other children and the body's stage, and the group fails
     * with it (later failures are added as suppressed).
     *
     * <pre>{@code
     * Task<Integer> total = Coroutines.taskGroup(scope -> {
     *     Task<Integer> a = scope.async(() -> count("a"));
     *     Task<Integer> b = scope.async(() -> count("b"));
     *     return a.thenCombine(b, Integer::sum);
     * });
     * }</pre>
     *
     * @param body starts children on the scope and returns the group's stage
     * @param <T> the type of the value
     * @return the group's task; cancelling it cancels every child
     */
    public static <T extends @Nullable Object> Task<T> taskGroup(Function<? super TaskScope, ? extends CompletionStage<T>> body) {
        Objects.requireNonNull(body, "body");
        return Task.of(Origin.detached().group(scope -> body.apply(new TaskScope(scope, false))));
    }

    /**
     * Starts a supervisor: kotlinx's {@code supervisorScope}. Like {@link #taskGroup}, it
     * completes after the body's stage and every child; but a child's failure is reported on
     * that child's {@link Task} only, and does not cancel its siblings or the supervisor.
     *
     * @param body starts children on the scope and returns the supervisor's stage
     * @param <T> the type of the value
     * @return the supervisor's task; cancelling it cancels every child
     */
    public static <T extends @Nullable Object> Task<T> supervisor(Function<? super TaskScope, ? extends CompletionStage<T>> body) {
        Objects.requireNonNull(body, "body");
        return Task.of(Origin.detached().supervisor(scope -> body.apply(new TaskScope(scope, false))));
    }

    /**
     * Calls a Kotlin {@code suspend} function from Java, as a detached task.
     *
     * <pre>{@code
     * Task<User> user = Coroutines.call(c -> userService.load(42, c));
     * }</pre>
     *
     * @param call passes the continuation it is given to the suspend function
     * @param <T> the suspend function's return type
     * @return the task; cancelling it cancels the suspend function
     */
    public static <T extends @Nullable Object> Task<T> call(SuspendCall<T> call) {
        Objects.requireNonNull(call, "call");
        return Task.of(Origin.detached().suspendCall(continuation -> call.invoke(continuation)));
    }

    /**
     * Blocks until {@code stage} completes and returns its value: for blocking bodies (and plain
     * threads) only. If the thread is interrupted first, the stage is cancelled.
     *
     * @param stage the stage to await; it belongs to this call
     * @param <T> the type of the value
     * @return the value
     * @throws Exception the stage's original exception
     * @throws InterruptedException if the thread was interrupted (as when the task is cancelled)
     * @throws java.util.concurrent.CancellationException if the stage was cancelled
     * @throws IllegalStateException if called on a thread that runs coroutines (a stage body, or
     *     the event loop of {@link #run}), where blocking would stall every task on it
     */
    public static <T extends @Nullable Object> T await(CompletionStage<T> stage) throws Exception {
        Objects.requireNonNull(stage, "stage");
        Checks.mayBlock("Coroutines.await");
        CompletableFuture<T> future = Stages.toFuture(stage);
        try {
            return future.get();
        } catch (ExecutionException failed) {
            Throwable cause = Stages.unwrap(failed.getCause());
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw failed;
        } catch (InterruptedException interrupted) {
            future.cancel(false);
            throw interrupted;
        }
    }
}
