package dev.corobridge;

import dev.corobridge.bridge.BlockingBody;
import dev.corobridge.bridge.LaunchKt;
import dev.corobridge.bridge.Origin;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.Job;
import kotlinx.coroutines.JobKt;
import org.jspecify.annotations.Nullable;

/**
 * A scope that owns the tasks started on it: asyncio's {@code TaskGroup}, kotlinx's
 * {@code CoroutineScope}.
 *
 * <p>A scope is handed to the bodies of {@link Coroutines#run}, {@link Coroutines#taskGroup}
 * and {@link Coroutines#supervisor}, which end only after every child has. A long-lived Java
 * object can own one instead, with {@link #open()} or {@link #openSupervisor()}, and
 * {@link #close()} it when it shuts down:
 *
 * <pre>{@code
 * final class Crawler implements AutoCloseable {
 *     private final TaskScope scope = TaskScope.open();
 *     Task<Page> fetch(URI uri) { return scope.async(() -> http.get(uri)); }
 *     public void close() { scope.close(); }   // cancels and waits for every fetch
 * }
 * }</pre>
 *
 * <p>In a plain scope (a task group, {@code run}, {@link #open()}) the first child failure
 * cancels every other child; in a supervisor scope a failure stays on the failing child's task.
 * Children run on the scope's dispatcher: kotlinx's {@code Dispatchers.Default} for an opened
 * scope, the calling thread inside {@code run}, the scope's own for {@link #from}; the
 * {@code Executor} overloads run them elsewhere, as the JDK's {@code xxxAsync(fn, executor)} do.
 *
 * <p>Thread-safe: children may be started from any thread.
 */
public final class TaskScope implements AutoCloseable {
    private final CoroutineScope scope;
    private final Origin children;
    private final boolean owned;
    private volatile boolean closed;

    TaskScope(CoroutineScope scope, boolean owned) {
        this.scope = scope;
        this.children = Origin.childOf(scope);
        this.owned = owned;
    }

    /**
     * Opens a scope for a long-lived object: the first child failure cancels the other children
     * and the scope. Children run on {@code Dispatchers.Default}.
     *
     * @return a new scope; close it when its owner shuts down
     */
    public static TaskScope open() {
        return new TaskScope(LaunchKt.openScope(false), true);
    }

    /**
     * Opens a supervisor scope for a long-lived object: a child's failure stays on that child's
     * task. Children run on {@code Dispatchers.Default}.
     *
     * @return a new scope; close it when its owner shuts down
     */
    public static TaskScope openSupervisor() {
        return new TaskScope(LaunchKt.openScope(true), true);
    }

    /**
     * Wraps a Kotlin {@code CoroutineScope}: children started here are its children, on its
     * dispatcher, and are cancelled with it.
     *
     * @param scope the Kotlin scope
     * @return a scope whose children belong to {@code scope}; closing it cancels {@code scope}
     */
    public static TaskScope from(CoroutineScope scope) {
        Objects.requireNonNull(scope, "scope");
        return new TaskScope(LaunchKt.adoptScope(scope), false);
    }

    /**
     * Starts a child that awaits the stage {@code body} returns.
     *
     * @param body a non-blocking body; runs on the scope's dispatcher
     * @param <T> the type of the value
     * @return the child's task
     * @throws IllegalStateException if this scope was opened and then closed
     */
    public <T extends @Nullable Object> Task<T> async(Supplier<? extends CompletionStage<T>> body) {
        Objects.requireNonNull(body, "body");
        return origin().stage(body, Task::settledBy);
    }

    /**
     * Starts a child that awaits the stage {@code body} returns, with the body run by
     * {@code executor}.
     *
     * @param body a non-blocking body
     * @param executor runs the body
     * @param <T> the type of the value
     * @return the child's task
     * @throws IllegalStateException if this scope was opened and then closed
     */
    public <T extends @Nullable Object> Task<T> async(Supplier<? extends CompletionStage<T>> body, Executor executor) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(executor, "executor");
        return origin().on(executor).stage(body, Task::settledBy);
    }

    /**
     * Starts a child that runs a blocking {@code body} on a virtual thread (JDK 21+) or kotlinx's
     * bounded I/O pool (JDK 17). Cancellation interrupts it, unless the task is cancelled with
     * {@code cancel(false)}.
     *
     * @param body the blocking body; may call {@link Coroutines#await}
     * @param <T> the type of the value
     * @return the child's task
     * @throws IllegalStateException if this scope was opened and then closed
     */
    public <T extends @Nullable Object> Task<T> asyncBlocking(Callable<T> body) {
        Objects.requireNonNull(body, "body");
        BlockingBody<T> blocking = new BlockingBody<>(body);
        return Task.of(origin().blocking(blocking), blocking);
    }

    /**
     * Starts a child that runs a blocking {@code body} on a thread of {@code executor}.
     *
     * @param body the blocking body; may call {@link Coroutines#await}
     * @param executor runs the body
     * @param <T> the type of the value
     * @return the child's task
     * @throws IllegalStateException if this scope was opened and then closed
     */
    public <T extends @Nullable Object> Task<T> asyncBlocking(Callable<T> body, Executor executor) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(executor, "executor");
        BlockingBody<T> blocking = new BlockingBody<>(body);
        return Task.of(origin().on(executor).blocking(blocking), blocking);
    }

    /**
     * Starts a child that calls a Kotlin {@code suspend} function; see
     * {@link Coroutines#call(SuspendCall)}.
     *
     * @param call passes the continuation it is given to the suspend function
     * @param <T> the suspend function's return type
     * @return the child's task
     * @throws IllegalStateException if this scope was opened and then closed
     */
    public <T extends @Nullable Object> Task<T> call(SuspendCall<T> call) {
        Objects.requireNonNull(call, "call");
        return Task.of(origin().suspendCall(continuation -> call.invoke(continuation)));
    }

    /** Cancels the scope and every child; children started afterwards start cancelled. */
    public void cancel() {
        JobKt.cancel(scope.getCoroutineContext(), null);
    }

    /**
     * Returns whether the scope is active: not cancelled, not failed, not closed.
     *
     * @return {@code true} while children can run
     */
    public boolean isActive() {
        return !closed && JobKt.isActive(scope.getCoroutineContext());
    }

    /**
     * Returns a future that completes once every child started so far (and every child those
     * start) has finished. It does not end the scope, and never fails.
     *
     * @return a future completing with {@code null}
     */
    public CompletableFuture<Void> join() {
        return LaunchKt.whenChildrenFinished(job());
    }

    /**
     * Returns this scope as a Kotlin {@code CoroutineScope}, to hand to Kotlin code: coroutines
     * it launches are children of this scope.
     *
     * @return the Kotlin scope
     */
    public CoroutineScope asKotlin() {
        return scope;
    }

    /**
     * Cancels every child and blocks until they have all finished; for an opened scope, also
     * ends it, so that starting a child afterwards throws {@link IllegalStateException}.
     * Idempotent.
     *
     * @throws IllegalStateException if called on a thread that runs coroutines, where blocking
     *     would stall them; use {@link #cancel()} and {@link #join()} there
     */
    @Override
    public void close() {
        Checks.mayBlock("TaskScope.close");
        closed = owned;
        cancel();
        Checks.awaitUninterruptibly(owned ? LaunchKt.whenFinished(job()) : join());
    }

    private Origin origin() {
        if (closed) {
            throw new IllegalStateException("this scope is closed; open a new one to start more tasks");
        }
        return children;
    }

    private Job job() {
        return JobKt.getJob(scope.getCoroutineContext());
    }

    @Override
    public String toString() {
        return "TaskScope[" + (isActive() ? "active" : "inactive") + "]";
    }
}
