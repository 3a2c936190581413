package dev.corobridge.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;

import dev.corobridge.AsyncSemaphore;
import dev.corobridge.bridge.Ambient;
import java.util.concurrent.CompletableFuture;
import kotlin.coroutines.CoroutineContext;
import kotlinx.coroutines.Dispatchers;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * {@code AsyncSemaphore}: the holder's {@code release()} races the cancellation of the one waiting
 * {@code acquire()}. The waiter is started with kotlinx's unconfined dispatcher as its loop (the
 * bridge's public {@code Ambient}), so that it resumes, and gives back a permit granted too late,
 * on whichever actor thread wakes it; with the default loop that give-back would happen on a
 * {@code Dispatchers.Default} thread after the actors, out of the arbiter's sight.
 *
 * <p>r1: the waiter (1 holds the permit, 2 cancelled); r2: permits available after both actors.
 * A permit lost (cancelled, none available) or created (granted, one available) is unlisted, and
 * jcstress reports it as a failure.
 */
@JCStressTest
@Description("AsyncSemaphore: release() races the cancellation of the waiting acquire(); the permit is never lost or doubled")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "The permit reached the waiter before the cancel: the waiter holds it, cancel() returned false.")
@Outcome(id = "2, 1", expect = ACCEPTABLE, desc = "The cancel came first, or the permit was granted at that very moment and given back: the waiter is cancelled and the permit is available.")
@State
public class SemaphoreReleaseVersusCancel {
    private static final Ambient UNCONFINED = Ambient.of(Dispatchers.getUnconfined(), null);

    private final AsyncSemaphore semaphore = AsyncSemaphore.of(1);
    private final CompletableFuture<Void> waiter;

    public SemaphoreReleaseVersusCancel() {
        AsyncSemaphore permits = semaphore;
        permits.tryAcquire();
        CoroutineContext previous = UNCONFINED.updateThreadContext(UNCONFINED);
        try {
            waiter = permits.acquire();
        } finally {
            UNCONFINED.restoreThreadContext(UNCONFINED, previous);
        }
    }

    @Actor
    public void release() {
        semaphore.release();
    }

    @Actor
    public void cancel() {
        waiter.cancel(false);
    }

    @Arbiter
    public void outcome(II_Result result) {
        result.r1 = !waiter.isDone() ? 0 : waiter.isCancelled() ? 2 : 1;
        result.r2 = semaphore.availablePermits();
    }
}
