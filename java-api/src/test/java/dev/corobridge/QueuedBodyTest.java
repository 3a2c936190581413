package dev.corobridge;

import static dev.corobridge.HoldingTest.assertHeldUntilCancelledThenGivenBack;
import static dev.corobridge.HoldingTest.cancelledInTheEnd;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.HoldingTest.Guard;
import dev.corobridge.testing.InlineLoop;
import dev.corobridge.testing.NoLeaks;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code withPermit} and {@code withLock} when the permit or lock is taken: the call queues, and
 * the body runs once it is handed over. Each case takes the guard first, makes the call, then
 * gives the guard back.
 */
@ExtendWith(NoLeaks.class)
class QueuedBodyTest {

    static Stream<Guard> guards() {
        return HoldingTest.guards();
    }

    @ParameterizedTest
    @MethodSource("guards")
    void aQueuedBodyRunsOnceHandedOverHoldingAndEndsWithItsValue(Guard guard) throws Exception {
        assertTrue(guard.take());
        AtomicReference<Boolean> heldInside = new AtomicReference<>();

        Task<String> task = guard.with(() -> {
            heldInside.set(!guard.isFree());
            return CompletableFuture.completedFuture("value");
        });
        assertFalse(task.isDone());
        assertTrue(task.isActive());
        assertEquals(null, heldInside.get(), "the body waits for the guard");

        guard.giveBack();

        assertEquals("value", task.get(5, SECONDS));
        assertTrue(heldInside.get(), "the body ran holding");
        assertTrue(guard.isFree(), "given back before the task completed");
        assertFalse(task.isActive());
    }

    @ParameterizedTest
    @MethodSource("guards")
    void aFailedOrCancelledStageEndsTheTaskWithItsOriginalException(Guard guard) throws Exception {
        assertTrue(guard.take());
        IOException failure = new IOException("boom");
        CompletableFuture<String> cancelled = new CompletableFuture<>();
        cancelled.cancel(false);

        Task<String> failed = guard.with(() -> CompletableFuture.failedFuture(failure));
        Task<String> thrown = guard.with(() -> {
            throw new IllegalStateException("thrown by the body");
        });
        Task<String> ended = guard.with(() -> cancelled);
        guard.giveBack();

        assertSame(failure, assertThrows(ExecutionException.class, () -> failed.get(5, SECONDS)).getCause());
        assertInstanceOf(IllegalStateException.class, assertThrows(ExecutionException.class, () -> thrown.get(5, SECONDS)).getCause());
        assertTrue(cancelledInTheEnd(ended));
        assertTrue(guard.isFree());
    }

    @ParameterizedTest
    @MethodSource("guards")
    void detachedWorkOfAQueuedBodyIsCancelledIfTheBodyFailsAndKeptIfItSucceeds(Guard guard) throws Exception {
        assertTrue(guard.take());
        AtomicReference<CompletableFuture<Void>> failedBodysSleep = new AtomicReference<>();
        AtomicReference<Task<String>> succeededBodysWork = new AtomicReference<>();
        CompletableFuture<String> later = new CompletableFuture<>();

        Task<String> failed = guard.with(() -> {
            failedBodysSleep.set(Coroutines.sleep(Duration.ofDays(1)));
            return CompletableFuture.failedFuture(new IOException("failed after starting a sleep"));
        });
        Task<String> succeeded = guard.with(() -> {
            succeededBodysWork.set(Coroutines.async(() -> later));
            return CompletableFuture.completedFuture("returned at once");
        });
        guard.giveBack();

        assertThrows(ExecutionException.class, () -> failed.get(5, SECONDS));
        assertTrue(cancelledInTheEnd(failedBodysSleep.get()), "the body that failed owned its sleep");
        assertEquals("returned at once", succeeded.get(5, SECONDS));
        assertFalse(succeededBodysWork.get().isDone(), "work started by a body that succeeded is not cancelled");
        later.complete("finished on its own");
        assertEquals("finished on its own", succeededBodysWork.get().get(5, SECONDS));
    }

    @ParameterizedTest
    @MethodSource("guards")
    void aCancelledWaitRunsNoBodyAndTakesNothing(Guard guard) throws Exception {
        assertTrue(guard.take());
        AtomicBoolean ran = new AtomicBoolean();
        Task<String> task = guard.with(() -> {
            ran.set(true);
            return CompletableFuture.completedFuture("value");
        });

        assertTrue(task.cancel(false));
        task.cancelAndJoin().get(5, SECONDS);
        guard.giveBack();

        assertTrue(guard.isFree(), "the cancelled waiter was not handed the guard");
        assertFalse(ran.get());
    }

    @ParameterizedTest
    @MethodSource("guards")
    void cancelAndJoinOfABodyHandedOverButNotYetRunWaitsUntilTheGuardIsGivenBack(Guard guard) throws Exception {
        AtomicBoolean ran = new AtomicBoolean();

        boolean freeOnceJoined = Coroutines.run(scope -> {
            assertTrue(guard.take());
            Task<String> task = guard.with(() -> {
                ran.set(true);
                return CompletableFuture.completedFuture("value");
            });
            guard.giveBack(); // hands the guard over: the body is now queued on this loop, which is busy here
            CompletableFuture<Void> joined = task.cancelAndJoin();
            assertTrue(task.isCancelled());
            assertFalse(joined.isDone(), "the task still holds the guard it was handed");
            assertFalse(guard.isFree());
            return joined.thenApply(ignored -> guard.isFree());
        });

        assertTrue(freeOnceJoined);
        assertFalse(ran.get(), "a task cancelled before its body ran does not run it");
    }

    @ParameterizedTest
    @MethodSource("guards")
    void aPendingStageIsAwaitedHoldingAndCancellingTheTaskCancelsItAndGivesBack(Guard guard) throws Exception {
        assertTrue(guard.take());
        AtomicReference<CompletableFuture<Void>> sleep = new AtomicReference<>();
        CompletableFuture<Void> bodyRan = new CompletableFuture<>();
        Task<String> task = guard.with(() -> {
            sleep.set(Coroutines.sleep(Duration.ofDays(1)));
            bodyRan.complete(null);
            return sleep.get().thenApply(ignored -> "woke up");
        });
        guard.giveBack();
        bodyRan.get(5, SECONDS);

        assertHeldUntilCancelledThenGivenBack(task, sleep.get(), guard);
    }

    @ParameterizedTest
    @MethodSource("guards")
    void aQueuedBodyRunsOnTheCallersLoopWhoeverGivesTheGuardBack(Guard guard) throws Exception {
        assertTrue(guard.take());

        boolean ranOnTheLoop = Coroutines.run(scope -> {
            Thread loop = Thread.currentThread();
            Task<Boolean> task = guard.with(() -> CompletableFuture.completedFuture(Thread.currentThread() == loop));
            CompletableFuture.runAsync(guard::giveBack); // from another thread
            return task;
        });

        assertTrue(ranOnTheLoop);
        assertTrue(guard.isFree());
    }

    @ParameterizedTest
    @MethodSource("guards")
    void aQueuedWaitIsCancelledWithTheBodyThatCalledIt(Guard guard) throws Exception {
        assertTrue(guard.take());
        AtomicReference<Task<String>> queued = new AtomicReference<>();
        CompletableFuture<Void> called = new CompletableFuture<>();
        Task<String> caller = Coroutines.async(() -> {
            queued.set(guard.with(() -> CompletableFuture.completedFuture("value")));
            called.complete(null);
            return queued.get().thenApply(value -> value + "!"); // a dependent: cancelling it cannot reach the task
        });
        called.get(5, SECONDS);

        caller.cancel(false);

        assertTrue(cancelledInTheEnd(queued.get()), "detached work is cancelled with the body that started it");
        guard.giveBack();
        assertTrue(guard.isFree(), "the cancelled waiter was not handed the guard");
    }

    /**
     * On a loop that does not dispatch (here kotlinx's {@code Unconfined}) each release runs the
     * next body where it is, so the waits there are coroutines, which kotlinx runs one after
     * another rather than each inside the release before it.
     */
    @ParameterizedTest
    @MethodSource("guards")
    void onALoopThatDoesNotDispatchQueuedBodiesRunInOrderAndNotNested(Guard guard) throws Exception {
        int waiters = 2_000;
        assertTrue(guard.take());
        List<Integer> order = new ArrayList<>();
        long[] depths = new long[waiters];
        List<Task<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            int index = i;
            tasks.add(InlineLoop.call(() -> guard.with(() -> {
                order.add(index);
                depths[index] = StackWalker.getInstance().walk(Stream::count);
                return CompletableFuture.completedFuture(index);
            })));
        }

        guard.giveBack();

        for (int i = 0; i < waiters; i++) {
            assertEquals(i, tasks.get(i).get(5, SECONDS));
        }
        assertEquals(waiters, order.size());
        for (int i = 0; i < waiters; i++) {
            assertEquals(i, order.get(i), "first in, first out");
        }
        assertTrue(depths[waiters - 1] < depths[0] + 100, "the last body ran no deeper than the first: "
                + depths[0] + " and " + depths[waiters - 1] + " frames");
        assertTrue(guard.isFree());
    }
}
