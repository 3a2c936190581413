package dev.corobridge.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;

import dev.corobridge.AsyncSemaphore;
import dev.corobridge.Task;
import java.util.concurrent.CompletableFuture;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * {@code AsyncSemaphore.withPermit} that found the permit taken: the holder's {@code release()}
 * races the cancellation of the queued task. The task waits with no coroutine body of its own and,
 * once handed the permit, runs its body on {@code Dispatchers.Default} (the loop of a plain
 * thread); the arbiter waits for the task to finish ({@code cancelAndJoin}) before it looks.
 *
 * <p>r1: the task (1 done with the body's value, 2 cancelled before its body ran, 3 cancelled while
 * its body ran); r2: permits available once it has finished. A permit kept by a finished task or
 * given back twice is unlisted, and jcstress reports it as a failure.
 */
@JCStressTest
@Description("withPermit queued behind a holder: release() races cancel() of the queued task; the permit always comes back once")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "The permit reached the task before the cancel: its body ran, the task has its value, the permit is back.")
@Outcome(id = "2, 1", expect = ACCEPTABLE, desc = "The cancel came first, or before the handed-over body ran: no body, the permit is back.")
@Outcome(id = "3, 1", expect = ACCEPTABLE, desc = "The cancel came while the body ran: the task is cancelled, the permit is back.")
@State
public class QueuedBodyReleaseVersusCancel {
    private final AsyncSemaphore semaphore = AsyncSemaphore.of(1);
    private volatile boolean ran;
    private final Task<String> task;

    public QueuedBodyReleaseVersusCancel() {
        semaphore.tryAcquire();
        task = semaphore.withPermit(() -> {
            ran = true;
            return CompletableFuture.completedFuture("ran");
        });
    }

    @Actor
    public void release() {
        semaphore.release();
    }

    @Actor
    public void cancel() {
        task.cancel(false);
    }

    @Arbiter
    public void outcome(II_Result result) {
        task.cancelAndJoin().join();
        result.r1 = !task.isCancelled() ? 1 : ran ? 3 : 2;
        result.r2 = semaphore.availablePermits();
    }
}
