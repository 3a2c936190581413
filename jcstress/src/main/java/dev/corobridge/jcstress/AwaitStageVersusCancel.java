package dev.corobridge.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;

import dev.corobridge.bridge.Origin;
import java.util.concurrent.CompletableFuture;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.CoroutineScopeKt;
import kotlinx.coroutines.Deferred;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * {@code awaitStage} (how every body's stage is awaited): the awaited future completes while the
 * awaiting coroutine is cancelled. The coroutine is started through the bridge's public
 * {@code Origin} on a same-thread executor, so that it is suspended in {@code awaitStage} before
 * the actors run and resumes on whichever actor thread wakes it; no other thread is involved.
 *
 * <p>r1: how the coroutine ended (1 with the value, 2 cancelled); r2: the future (1 holds the
 * value, 2 cancelled). Any other pair, such as a coroutine holding the value of a cancelled future
 * or one still running after both actors, is unlisted, and jcstress reports it as a failure.
 */
@JCStressTest
@Description("awaitStage: the awaited future completing races the awaiting coroutine being cancelled")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "The future completed first: the coroutine returned its value.")
@Outcome(id = "2, 2", expect = ACCEPTABLE, desc = "The cancellation came first: the coroutine ended cancelled and cancelled the future it awaited, so complete() found it done.")
@Outcome(id = "2, 1", expect = ACCEPTABLE, desc = "The value arrived, but the cancellation came before the coroutine resumed: it ends cancelled (kotlinx's prompt cancellation) and the completed future keeps its value.")
@State
public class AwaitStageVersusCancel {
    private final CompletableFuture<Integer> future;
    private final CoroutineScope scope;
    private final Deferred<Integer> awaiting;

    public AwaitStageVersusCancel() {
        CompletableFuture<Integer> awaited = new CompletableFuture<>();
        CoroutineScope owner = CoroutineScopeKt.CoroutineScope(EmptyCoroutineContext.INSTANCE);
        future = awaited;
        scope = owner;
        awaiting = Origin.childOf(owner).on(Runnable::run).stage(() -> awaited);
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
        result.r1 = Outcomes.ending(awaiting, 42);
        result.r2 = future.isCancelled() ? 2 : Integer.valueOf(42).equals(future.getNow(null)) ? 1 : 0;
    }
}
