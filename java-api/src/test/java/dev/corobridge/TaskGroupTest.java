package dev.corobridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.NoLeaks;
import dev.corobridge.testing.Steps;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class TaskGroupTest {

    @Test
    void completesOnlyAfterEveryChild() throws Exception {
        CompletableFuture<String> slowChild = new CompletableFuture<>();
        AtomicReference<Task<String>> child = new AtomicReference<>();

        Task<String> group = Coroutines.taskGroup(scope -> {
            child.set(scope.async(() -> slowChild));
            return CompletableFuture.completedFuture("body done");
        });

        assertFalse(group.isDone(), "the body is done but a child still runs");
        slowChild.complete("child done");
        assertEquals("body done", group.get(5, TimeUnit.SECONDS));
        assertTrue(child.get().isDone());
    }

    @Test
    void theFirstFailingChildCancelsItsSiblingsAndFailsTheGroup() throws Exception {
        IOException failure = new IOException("oven broken");
        CompletableFuture<String> sibling = new CompletableFuture<>();
        CountDownLatch siblingStarted = new CountDownLatch(1);
        AtomicReference<Task<String>> siblingTask = new AtomicReference<>();

        Task<String> group = Coroutines.taskGroup(scope -> {
            siblingTask.set(scope.async(() -> {
                siblingStarted.countDown();
                return sibling;
            }));
            scope.async(() -> {
                await(siblingStarted);
                return CompletableFuture.failedFuture(failure);
            });
            return new CompletableFuture<String>();
        });

        ExecutionException thrown = assertThrows(ExecutionException.class, () -> group.get(5, TimeUnit.SECONDS));
        assertSame(failure, thrown.getCause(), "the real cause, not a CancellationException");
        assertTrue(sibling.isCancelled());
        assertTrue(siblingTask.get().isCancelled());
    }

    /** Waits for a latch that is about to open (the other child has been dispatched). */
    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void laterFailuresAreAddedAsSuppressed() throws Exception {
        IOException first = new IOException("first");
        IOException second = new IOException("second");
        CountDownLatch bothRunning = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);

        Task<Void> group = Coroutines.taskGroup(scope -> {
            scope.asyncBlocking(() -> failAfter(bothRunning, release, first, 0));
            scope.asyncBlocking(() -> failAfter(bothRunning, release, second, 1));
            return CompletableFuture.completedFuture(null);
        });
        assertTrue(bothRunning.await(5, TimeUnit.SECONDS));
        release.countDown();

        ExecutionException thrown = assertThrows(ExecutionException.class, () -> group.get(5, TimeUnit.SECONDS));
        Throwable cause = thrown.getCause();
        Throwable other = cause == first ? second : first;
        assertTrue(cause == first || cause == second);
        assertArrayEquals(new Throwable[] {other}, cause.getSuppressed());
    }

    private static Void failAfter(CountDownLatch running, CountDownLatch release, IOException failure, int unused)
            throws IOException {
        running.countDown();
        try {
            release.await();
        } catch (InterruptedException cancelled) {
            // The other child failed first and cancelled this one: it still throws, uninterruptibly.
            Thread.currentThread().interrupt();
        }
        throw failure;
    }

    @Test
    void theBodysFailureCancelsTheChildren() throws Exception {
        IllegalStateException failure = new IllegalStateException("bad recipe");
        CompletableFuture<String> child = new CompletableFuture<>();
        CountDownLatch childStarted = new CountDownLatch(1);

        Task<String> group = Coroutines.taskGroup(scope -> {
            scope.async(() -> {
                childStarted.countDown();
                return child;
            });
            return Coroutines.async(() -> {
                await(childStarted);
                return CompletableFuture.failedFuture(failure);
            });
        });

        ExecutionException thrown = assertThrows(ExecutionException.class, () -> group.get(5, TimeUnit.SECONDS));
        assertSame(failure, thrown.getCause());
        assertTrue(child.isCancelled());
    }

    @Test
    void cancellingTheGroupCancelsEveryChild() throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> second = new CompletableFuture<>();
        CountDownLatch started = new CountDownLatch(2);
        Task<Void> group = Coroutines.taskGroup(scope -> {
            scope.async(() -> {
                started.countDown();
                return first;
            });
            scope.async(() -> {
                started.countDown();
                return second;
            });
            return CompletableFuture.completedFuture(null);
        });
        assertTrue(started.await(5, TimeUnit.SECONDS));

        group.cancelAndJoin().get(5, TimeUnit.SECONDS);

        assertTrue(first.isCancelled());
        assertTrue(second.isCancelled());
    }

    @Test
    void childrenStartInOrderAndTheBodyRunsFirst() throws Exception {
        Steps steps = new Steps();

        Coroutines.run(scope -> Coroutines.taskGroup(group -> {
            steps.expect(1);
            group.async(() -> {
                steps.expect(3);
                return CompletableFuture.completedFuture(null);
            });
            group.async(() -> {
                steps.expect(4);
                return CompletableFuture.completedFuture(null);
            });
            steps.expect(2);
            return CompletableFuture.completedFuture(null);
        }));

        steps.finish(5);
    }
}
