package dev.corobridge.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;

import dev.corobridge.bridge.BlockingBody;
import dev.corobridge.bridge.Origin;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.CoroutineScopeKt;
import kotlinx.coroutines.Deferred;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * {@code BlockingBody}: the cancellation's interrupt races the blocking body returning. The body
 * runs on the first actor's own thread (the bridge's public {@code Origin.blocking} on a
 * same-thread executor), and the second actor cancels the scope the coroutine belongs to, which
 * interrupts that thread if the body is still running. The interrupt must never outlive the body:
 * a pooled thread would carry it into its next task.
 *
 * <p>r1: the first actor's interrupt flag once {@code blocking} returned (1 set: a leak; it is
 * cleared for the next round either way); r2: what the body saw (-1 it never ran, 0 not
 * interrupted, 1 interrupted); r3: how the coroutine ended (1 with the value, 2 cancelled). Every
 * outcome with r1 = 1 is unlisted, so jcstress reports a leaked interrupt as a failure.
 */
@JCStressTest
@Description("BlockingBody: the interrupt of a cancellation races the body returning; the flag never outlives the body")
@Outcome(id = "0, -1, 2", expect = ACCEPTABLE, desc = "Cancelled before the body started: it never ran, and nothing was interrupted.")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "The body returned before the cancellation: its value is delivered.")
@Outcome(id = "0, 0, 2", expect = ACCEPTABLE, desc = "The cancellation came while the body ran, after it looked at its flag: the coroutine ends cancelled and the interrupt, if it landed, was cleared.")
@Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "The body saw the interrupt: the coroutine ends cancelled and the flag was cleared when the body returned.")
@State
public class BlockingBodyInterruptVersusReturn {
    private static final int NOT_RUN = -1;

    private final CoroutineScope scope = CoroutineScopeKt.CoroutineScope(EmptyCoroutineContext.INSTANCE);

    @Actor
    public void runBody(III_Result result) {
        result.r2 = NOT_RUN;
        BlockingBody<Integer> body = new BlockingBody<>(() -> {
            result.r2 = Thread.currentThread().isInterrupted() ? 1 : 0;
            return 42;
        });

        Deferred<Integer> ran = Origin.childOf(scope).on(Runnable::run).blocking(body);

        result.r1 = Thread.interrupted() ? 1 : 0;
        result.r3 = Outcomes.ending(ran, 42);
    }

    @Actor
    public void cancel() {
        CoroutineScopeKt.cancel(scope, null);
    }
}
