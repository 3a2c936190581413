package dev.corobridge;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.corobridge.testing.NoLeaks;
import dev.corobridge.testing.Started;
import dev.corobridge.testing.Steps;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class TaskTest {

    static final class QuotaExceeded extends Exception {
        private static final long serialVersionUID = 1L;

        QuotaExceeded() {
            super("quota exceeded");
        }
    }

    @Test
    void completesWithTheBodysValue() {
        Task<String> task = Coroutines.async(() -> CompletableFuture.completedFuture("pizza"));

        assertEquals("pizza", task.join());
    }

    @Test
    void failsWithTheBodysOriginalException() {
        QuotaExceeded failure = new QuotaExceeded();

        Task<String> task = Coroutines.async(() -> CompletableFuture.failedFuture(failure));

        ExecutionException thrown = assertThrows(ExecutionException.class, task::get);
        assertSame(failure, thrown.getCause());
    }

    @Test
    void failsWithTheOriginalExceptionOfAStageThatFailsLater() {
        QuotaExceeded failure = new QuotaExceeded();
        CompletableFuture<String> later = new CompletableFuture<>();
        Task<String> task = Coroutines.async(() -> later.thenApply(String::trim));

        later.completeExceptionally(failure);

        ExecutionException thrown = assertThrows(ExecutionException.class, task::get);
        assertSame(failure, thrown.getCause());
    }

    @Test
    void failsWhenTheBodyThrows() {
        IllegalStateException failure = new IllegalStateException("oven broken");

        Task<String> task = Coroutines.async(() -> {
            throw failure;
        });

        ExecutionException thrown = assertThrows(ExecutionException.class, task::get);
        assertSame(failure, thrown.getCause());
    }

    @Test
    void failsWithNullPointerExceptionWhenTheBodyReturnsNull() {
        Task<String> task = Coroutines.async(() -> null);

        ExecutionException thrown = assertThrows(ExecutionException.class, task::get);
        assertInstanceOf(NullPointerException.class, thrown.getCause());
    }

    @Test
    void cancellingTheTaskCancelsTheAwaitedStage() throws Exception {
        CompletableFuture<String> request = new CompletableFuture<>();
        Task<String> task = Started.awaiting(request, Coroutines::async);

        assertTrue(task.cancel(false));

        assertTrue(task.isCancelled());
        task.cancelAndJoin().get(5, TimeUnit.SECONDS);
        assertTrue(request.isCancelled(), "the awaited stage belongs to the task and is cancelled with it");
        assertFalse(task.isActive());
    }

    @Test
    void cancelledCoroutineLeavesTheTaskCancelled() {
        CompletableFuture<String> request = new CompletableFuture<>();
        Task<String> task = Coroutines.async(() -> request);

        request.cancel(false);

        assertThrows(CancellationException.class, task::join);
        assertTrue(task.isCancelled());
    }

    @Test
    void completingTheTaskFromOutsideCancelsTheCoroutine() throws Exception {
        CompletableFuture<String> request = new CompletableFuture<>();
        Task<String> task = Started.awaiting(request, Coroutines::async);

        assertTrue(task.complete("from cache"));

        task.cancelAndJoin().get(5, TimeUnit.SECONDS);
        assertEquals("from cache", task.join());
        assertTrue(request.isCancelled());
    }

    @Test
    void orTimeoutFailsTheTaskAndCancelsTheCoroutine() throws Exception {
        CompletableFuture<String> request = new CompletableFuture<>();
        Task<String> task = Started.awaiting(request, Coroutines::async);

        task.orTimeout(1, TimeUnit.MILLISECONDS);

        ExecutionException thrown = assertThrows(ExecutionException.class, () -> task.get(5, TimeUnit.SECONDS));
        assertInstanceOf(java.util.concurrent.TimeoutException.class, thrown.getCause());
        task.cancelAndJoin().get(5, TimeUnit.SECONDS);
        assertTrue(request.isCancelled());
    }

    @Test
    void cancelAndJoinWaitsForTheSlowFinallyBlock() throws Exception {
        Steps steps = new Steps();
        CountDownLatch inBody = new CountDownLatch(1);
        CountDownLatch releaseFinally = new CountDownLatch(1);
        Task<Void> task = Coroutines.asyncBlocking(() -> {
            try {
                inBody.countDown();
                new CountDownLatch(1).await(); // until interrupted by cancellation
                return null;
            } finally {
                releaseFinally.await(5, TimeUnit.SECONDS);
                steps.expect(2);
            }
        });
        assertTrue(inBody.await(5, TimeUnit.SECONDS));
        steps.expect(1);

        CompletableFuture<Void> finished = task.cancelAndJoin();

        assertTrue(task.isCancelled(), "the task is cancelled at once, like any CompletableFuture");
        assertFalse(finished.isDone(), "but the coroutine has not finished: its finally block is still waiting");
        releaseFinally.countDown();
        finished.get(5, TimeUnit.SECONDS);
        steps.finish(3);
    }

    @Test
    void dependentStagesArePlainFutures() {
        Task<String> task = Coroutines.async(() -> CompletableFuture.completedFuture("x"));

        CompletableFuture<Integer> length = task.thenApply(String::length);

        assertFalse(length instanceof Task);
        assertEquals(1, length.join());
    }

    @Test
    void namesAreDistinctAndStable() {
        Task<String> first = Coroutines.async(() -> CompletableFuture.completedFuture("a"));
        Task<String> second = Coroutines.async(() -> CompletableFuture.completedFuture("b"));

        String name = first.name();

        assertTrue(name.startsWith("Task-"));
        assertEquals(name, first.name());
        assertNotEquals(name, second.name());
        first.join();
        second.join();
    }

    @Test
    void aDependentOfAFinishedTaskNeverSeesItActive() throws Exception {
        // A detached task started inside a body is linked to that body: its job then holds a second
        // entry beside the suspended await's, and kotlinx ends it through its slow path, where the
        // task is settled just before the job publishes its final state.
        CompletableFuture<String> request = new CompletableFuture<>();
        CompletableFuture<Boolean> activeSeenByDependent = new CompletableFuture<>();
        Task<String> task = Coroutines.taskGroup(scope -> {
            Task<String> linked = Coroutines.async(() -> request);
            linked.thenRun(() -> activeSeenByDependent.complete(linked.isActive()));
            return CompletableFuture.completedFuture(linked);
        }).join();
        awaitDependent(request);

        request.complete("done");

        assertEquals("done", task.join());
        assertFalse(activeSeenByDependent.get(5, TimeUnit.SECONDS));
    }

    /** Waits until the task's coroutine is suspended on {@code stage}: it has registered its callback. */
    private static void awaitDependent(CompletableFuture<?> stage) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (stage.getNumberOfDependents() == 0) {
            assertTrue(System.nanoTime() < deadline, "the task did not start awaiting within 5 s");
            Thread.onSpinWait();
        }
    }

    @Test
    void isActiveUntilTheCoroutineCompletes() {
        CompletableFuture<String> request = new CompletableFuture<>();
        Task<String> task = Coroutines.async(() -> request);
        assertTrue(task.isActive());

        request.complete("done");

        assertEquals("done", task.join());
        task.cancelAndJoin().join();
        assertFalse(task.isActive());
    }
}
