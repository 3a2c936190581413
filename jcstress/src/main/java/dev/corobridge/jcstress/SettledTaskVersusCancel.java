package dev.corobridge.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;

import dev.corobridge.bridge.Origin;
import java.util.concurrent.CompletableFuture;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.CoroutineScopeKt;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A stage-body task (how every body's stage is awaited): the awaited future completes while the
 * task's coroutine is cancelled. The coroutine settles the task's future itself as it ends (no
 * completion handler), so that future must end exactly as the coroutine does. The coroutine is
 * started through the bridge's public {@code Origin} on a same-thread executor, so that it is
 * suspended on the awaited future before the actors run and resumes on whichever actor thread
 * wakes it; no other thread is involved.
 *
 * <p>r1: the settled future (1 holds the value, 2 cancelled, 0 anything else, including not done);
 * r2: the awaited future (1 holds the value, 2 cancelled).
 */
@JCStressTest
@Description("a self-settling stage task: the awaited future completing races the task's coroutine being cancelled")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "The future completed first: the task holds its value.")
@Outcome(id = "2, 2", expect = ACCEPTABLE, desc = "The cancellation came first: the task is cancelled and so is the future it awaited.")
@Outcome(id = "2, 1", expect = ACCEPTABLE, desc = "The value arrived, but the cancellation came before the coroutine resumed: the task ends cancelled and the completed future keeps its value.")
@State
public class SettledTaskVersusCancel {
    private final CompletableFuture<Integer> future;
    private final CoroutineScope scope;
    private final CompletableFuture<Integer> settled;

    public SettledTaskVersusCancel() {
        CompletableFuture<Integer> awaited = new CompletableFuture<>();
        CoroutineScope owner = CoroutineScopeKt.CoroutineScope(EmptyCoroutineContext.INSTANCE);
        future = awaited;
        scope = owner;
        settled = Origin.childOf(owner).on(Runnable::run).stage(() -> awaited, job -> new CompletableFuture<Integer>());
    }

    @Actor
    public void complete() {
        future.complete(42);
    }

    @Actor
    public void cancel() {
        CoroutineScopeKt.cancel(scope, null);
    }

    @Arbiter
    public void outcome(II_Result result) {
        result.r1 = settled.isCancelled() ? Outcomes.CANCELLED
                : Integer.valueOf(42).equals(settled.getNow(null)) ? Outcomes.VALUE : Outcomes.OTHER;
        result.r2 = future.isCancelled() ? 2 : Integer.valueOf(42).equals(future.getNow(null)) ? 1 : 0;
    }
}
