package dev.corobridge;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.NoLeaks;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code withPermit} and {@code withLock} when the permit or lock is free: the body runs inline,
 * without a coroutine, and nothing about it may differ from the coroutine path.
 */
@ExtendWith(NoLeaks.class)
class HoldingTest {

    /** A semaphore's permit or a mutex's lock, seen the same way. */
    interface Guard {
        <T> Task<T> with(Supplier<? extends CompletionStage<T>> body);

        boolean isFree();

        /** Takes what a body would hold, if it is free now. */
        boolean take();

        /** Gives back what a body holds: from inside the body, a misuse. */
        void giveBack();
    }

    static Stream<Guard> guards() {
        AsyncSemaphore semaphore = AsyncSemaphore.of(1);
        AsyncMutex mutex = AsyncMutex.create();
        return Stream.of(
                new Guard() {
                    @Override
                    public <T> Task<T> with(Supplier<? extends CompletionStage<T>> body) {
                        return semaphore.withPermit(body);
                    }

                    @Override
                    public boolean isFree() {
                        return semaphore.availablePermits() == 1;
                    }

                    @Override
                    public boolean take() {
                        return semaphore.tryAcquire();
                    }

                    @Override
                    public void giveBack() {
                        semaphore.release();
                    }

                    @Override
                    public String toString() {
                        return "semaphore";
                    }
                },
                new Guard() {
                    @Override
                    public <T> Task<T> with(Supplier<? extends CompletionStage<T>> body) {
                        return mutex.withLock(body);
                    }

                    @Override
                    public boolean isFree() {
                        return !mutex.isLocked();
                    }

                    @Override
                    public boolean take() {
                        return mutex.tryLock();
                    }

                    @Override
                    public void giveBack() {
                        mutex.unlock();
                    }

                    @Override
                    public String toString() {
                        return "mutex";
                    }
                });
    }

    @ParameterizedTest
    @MethodSource("guards")
    void aCompletedBodyEndsTheTaskBeforeItIsReturned(Guard guard) throws Exception {
        AtomicReference<Boolean> heldInside = new AtomicReference<>();

        Task<String> task = guard.with(() -> {
            heldInside.set(!guard.isFree());
            return CompletableFuture.completedFuture("value");
        });

        assertTrue(heldInside.get(), "the body ran holding");
        assertTrue(task.isDone());
        assertFalse(task.isActive());
        assertEquals("value", task.get());
        assertTrue(task.cancelAndJoin().isDone(), "nothing is left to wait for");
        assertTrue(guard.isFree());
    }

    @ParameterizedTest
    @MethodSource("guards")
    void aFailedOrCancelledStageEndsTheTaskWithItsOriginalException(Guard guard) {
        IOException failure = new IOException("boom");
        CompletableFuture<String> cancelled = new CompletableFuture<>();
        cancelled.cancel(false);

        Task<String> failed = guard.with(() -> CompletableFuture.failedFuture(failure));
        Task<String> wrapped = guard.with(() -> CompletableFuture.supplyAsync(() -> {
            throw new IllegalStateException("wrapped by the JDK");
        }, Runnable::run));
        Task<String> ended = guard.with(() -> cancelled);

        assertSame(failure, assertThrows(ExecutionException.class, failed::get).getCause());
        assertInstanceOf(IllegalStateException.class, assertThrows(ExecutionException.class, wrapped::get).getCause());
        assertTrue(ended.isCancelled());
        assertTrue(guard.isFree());
    }

    @ParameterizedTest
    @MethodSource("guards")
    void detachedWorkOfABodyThatFailsIsCancelled(Guard guard) throws Exception {
        AtomicReference<CompletableFuture<Void>> thrownSleep = new AtomicReference<>();
        AtomicReference<CompletableFuture<Void>> failedSleep = new AtomicReference<>();

        Task<String> thrown = guard.with(() -> {
            thrownSleep.set(Coroutines.sleep(Duration.ofDays(1)));
            throw new IllegalStateException("thrown after starting a sleep");
        });
        Task<String> failed = guard.with(() -> {
            failedSleep.set(Coroutines.sleep(Duration.ofDays(1)));
            return CompletableFuture.failedFuture(new IOException("failed after starting a sleep"));
        });

        assertTrue(thrown.isCompletedExceptionally() && failed.isCompletedExceptionally());
        assertTrue(cancelledInTheEnd(thrownSleep.get()), "the body that threw owned its sleep");
        assertTrue(cancelledInTheEnd(failedSleep.get()), "the body that failed owned its sleep");
        assertTrue(guard.isFree());
    }

    @ParameterizedTest
    @MethodSource("guards")
    void detachedWorkOfABodyThatSucceedsKeepsRunning(Guard guard) throws Exception {
        CompletableFuture<String> later = new CompletableFuture<>();
        AtomicReference<Task<String>> started = new AtomicReference<>();

        Task<String> task = guard.with(() -> {
            started.set(Coroutines.async(() -> later));
            return CompletableFuture.completedFuture("returned at once");
        });

        assertEquals("returned at once", task.get());
        assertFalse(started.get().isDone(), "work started by a body that succeeded is not cancelled");
        later.complete("finished on its own");
        assertEquals("finished on its own", started.get().get(5, SECONDS));
    }

    @ParameterizedTest
    @MethodSource("guards")
    void cancellingAPendingBodyCancelsItsStageTheWorkItStartedAndGivesBack(Guard guard) throws Exception {
        AtomicReference<CompletableFuture<Void>> sleep = new AtomicReference<>();
        Task<String> task = guard.with(() -> {
            sleep.set(Coroutines.sleep(Duration.ofDays(1)));
            return sleep.get().thenApply(ignored -> "woke up");
        });
        assertHeldUntilCancelledThenGivenBack(task, sleep.get(), guard);
    }

    /**
     * For a task whose body returned a dependent of {@code sleep}: the guard is held while that
     * stage is pending, and cancelling the task cancels the sleep itself and gives the guard back.
     */
    static void assertHeldUntilCancelledThenGivenBack(Task<String> task, CompletableFuture<Void> sleep, Guard guard)
            throws Exception {
        assertFalse(task.isDone());
        assertFalse(guard.isFree(), "held while the stage is pending");

        task.cancelAndJoin().get(5, SECONDS);

        assertTrue(cancelledInTheEnd(sleep), "the dependent stage alone could not reach the sleep");
        assertTrue(guard.isFree());
    }

    @ParameterizedTest
    @MethodSource("guards")
    void aPendingBodyIsCancelledWithTheBodyThatCalledIt(Guard guard) throws Exception {
        AtomicReference<Task<String>> held = new AtomicReference<>();
        AtomicReference<CompletableFuture<Void>> sleep = new AtomicReference<>();
        CompletableFuture<Void> called = new CompletableFuture<>();
        Task<String> caller = Coroutines.async(() -> {
            held.set(guard.with(() -> {
                sleep.set(Coroutines.sleep(Duration.ofDays(1)));
                return sleep.get().thenApply(ignored -> "woke up");
            }));
            called.complete(null);
            return held.get().thenApply(value -> value + "!"); // a dependent: cancelling it cannot reach the task
        });
        called.get(5, SECONDS);

        caller.cancel(false);

        assertTrue(cancelledInTheEnd(held.get()), "detached work is cancelled with the body that started it");
        assertTrue(cancelledInTheEnd(sleep.get()));
        held.get().cancelAndJoin().get(5, SECONDS);
        assertTrue(guard.isFree());
    }

    @Test
    void nestedBodiesEachOwnTheirOwnWork() throws Exception {
        AsyncMutex mutex = AsyncMutex.create();
        AsyncSemaphore semaphore = AsyncSemaphore.of(1);
        AtomicReference<CompletableFuture<Void>> innerSleep = new AtomicReference<>();
        AtomicReference<CompletableFuture<Void>> outerSleep = new AtomicReference<>();
        AtomicReference<Task<String>> inner = new AtomicReference<>();

        Task<String> outer = mutex.withLock(() -> {
            inner.set(semaphore.withPermit(() -> {
                innerSleep.set(Coroutines.sleep(Duration.ofDays(1)));
                return CompletableFuture.failedFuture(new IOException("the inner body fails"));
            }));
            outerSleep.set(Coroutines.sleep(Duration.ofDays(1)));
            return CompletableFuture.failedFuture(new IOException("then the outer one"));
        });

        assertTrue(inner.get().isCompletedExceptionally() && outer.isCompletedExceptionally());
        assertTrue(cancelledInTheEnd(innerSleep.get()), "the inner body's failure cancelled its own work");
        assertTrue(cancelledInTheEnd(outerSleep.get()), "the outer body's failure cancelled the work it started after the inner one");
        assertFalse(mutex.isLocked());
        assertEquals(1, semaphore.availablePermits());
    }

    @Test
    void aFailingInnerBodyLeavesTheOuterBodysWorkRunning() throws Exception {
        AsyncMutex mutex = AsyncMutex.create();
        AsyncSemaphore semaphore = AsyncSemaphore.of(1);
        AtomicReference<CompletableFuture<Void>> outerSleep = new AtomicReference<>();

        Task<String> outer = mutex.withLock(() -> {
            semaphore.withPermit(() -> CompletableFuture.failedFuture(new IOException("the inner body fails")));
            outerSleep.set(Coroutines.sleep(Duration.ofDays(1)));
            return CompletableFuture.completedFuture("the outer body succeeds");
        });

        assertEquals("the outer body succeeds", outer.get());
        assertFalse(outerSleep.get().isDone(), "owned by the outer body, which succeeded");
        outerSleep.get().cancel(false);
    }

    /** Whether {@code work} ends cancelled; a coroutine cancelled before it first ran ends once it is dispatched. */
    static boolean cancelledInTheEnd(CompletableFuture<?> work) throws Exception {
        work.handle((value, failure) -> null).get(5, SECONDS);
        return work.isCancelled();
    }

    @ParameterizedTest
    @MethodSource("guards")
    void aBodyThatGivesBackWhatItHoldsFailsTheTaskAsAFinallyBlockWould(Guard guard) {
        Task<String> task = guard.with(() -> {
            guard.giveBack();
            return CompletableFuture.completedFuture("value");
        });

        assertInstanceOf(IllegalStateException.class, assertThrows(ExecutionException.class, task::get).getCause());
        assertTrue(guard.isFree());
    }
}
