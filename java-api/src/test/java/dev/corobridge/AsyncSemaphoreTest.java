package dev.corobridge;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.NoLeaks;
import dev.corobridge.testing.Steps;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import kotlin.Unit;
import kotlinx.coroutines.sync.Semaphore;
import kotlinx.coroutines.sync.SemaphoreKt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class AsyncSemaphoreTest {

    @Test
    void anAcquireComposedByACancelledBodyIsCancelledAndTakesNoPermit() throws Exception {
        AsyncSemaphore semaphore = AsyncSemaphore.of(1);
        semaphore.acquire().get(5, SECONDS);
        CompletableFuture<CompletableFuture<Void>> pending = new CompletableFuture<>();
        Task<String> body = Coroutines.async(() -> {
            CompletableFuture<Void> acquire = semaphore.acquire();
            pending.complete(acquire);
            return acquire.thenApply(acquired -> "got the permit");
        });
        CompletableFuture<Void> acquire = pending.get(5, SECONDS);

        body.cancel(false);

        acquire.handle((value, failure) -> null).get(5, SECONDS);
        assertTrue(acquire.isCancelled(), "the wait belonged to the cancelled body");
        semaphore.release();
        assertEquals(1, semaphore.availablePermits(), "the dead waiter took no permit");
    }

    @Test
    void rejectsNonPositivePermitsNamingTheValue() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> AsyncSemaphore.of(-1));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> AsyncSemaphore.of(0));

        assertEquals("permits must be > 0, was -1", negative.getMessage());
        assertEquals("permits must be > 0, was 0", zero.getMessage());
    }

    @Test
    void rejectsNullArgumentsNamingThem() {
        AsyncSemaphore semaphore = AsyncSemaphore.of(1);

        NullPointerException from = assertThrows(NullPointerException.class, () -> AsyncSemaphore.from(null));
        NullPointerException body = assertThrows(NullPointerException.class, () -> semaphore.withPermit(null));
        NullPointerException blocking = assertThrows(NullPointerException.class, () -> semaphore.withPermitBlocking(null));

        assertEquals("semaphore", from.getMessage());
        assertEquals("body", body.getMessage());
        assertEquals("body", blocking.getMessage());
    }

    @Test
    void uncontendedAcquireCompletesAtOnceWithASharedFuture() {
        AsyncSemaphore semaphore = AsyncSemaphore.of(2);

        CompletableFuture<Void> first = semaphore.acquire();
        CompletableFuture<Void> second = semaphore.acquire();

        assertTrue(first.isDone());
        assertSame(first, second);
        assertEquals(0, semaphore.availablePermits());
        assertThrows(UnsupportedOperationException.class, () -> first.obtrudeException(new IOException()));
    }

    @Test
    void acquireWaitsUntilAPermitIsReleased() throws Exception {
        AsyncSemaphore semaphore = AsyncSemaphore.of(1);
        semaphore.acquire();

        CompletableFuture<Void> waiting = semaphore.acquire();
        boolean doneBeforeRelease = waiting.isDone();
        semaphore.release();

        assertFalse(doneBeforeRelease);
        waiting.get(5, SECONDS);
        assertEquals(0, semaphore.availablePermits());
    }

    @Test
    void waitersAreServedFirstInFirstOut() throws Exception {
        AsyncSemaphore semaphore = AsyncSemaphore.of(1);
        semaphore.acquire();
        List<Integer> served = new ArrayList<>();
        List<CompletableFuture<Void>> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int id = i;
            waiters.add(semaphore.acquire().thenRun(() -> {
                synchronized (served) {
                    served.add(id);
                }
            }));
        }

        for (CompletableFuture<Void> waiter : waiters) {
            semaphore.release();
            waiter.get(5, SECONDS);
        }

        assertEquals(List.of(0, 1, 2, 3, 4), served);
    }

    @Test
    void tryAcquireNeverBargesAheadOfWaiters() throws Exception {
        AsyncSemaphore semaphore = AsyncSemaphore.of(1);
        semaphore.acquire();
        CompletableFuture<Void> waiting = semaphore.acquire();

        semaphore.release();
        boolean barged = semaphore.tryAcquire();

        assertFalse(barged);
        waiting.get(5, SECONDS);
    }

    @Test
    void releaseBeyondThePermitsThrows() {
        AsyncSemaphore semaphore = AsyncSemaphore.of(2);

        IllegalStateException tooMany = assertThrows(IllegalStateException.class, semaphore::release);

        assertTrue(tooMany.getMessage().contains("2"), tooMany.getMessage());
        assertEquals(2, semaphore.availablePermits());
    }

    @Test
    void cancelledWaiterNeverConsumesAPermit() throws Exception {
        AsyncSemaphore semaphore = AsyncSemaphore.of(1);
        semaphore.acquire();
        CompletableFuture<Void> cancelled = semaphore.acquire();
        CompletableFuture<Void> next = semaphore.acquire();

        cancelled.cancel(true);
        semaphore.release();

        next.get(5, SECONDS);
        assertTrue(cancelled.isCancelled());
        semaphore.release();
        assertEquals(1, semaphore.availablePermits());
    }

    @Test
    void cancellingWhileAPermitIsHandedOverNeverLosesOrCreatesOne() throws Exception {
        AsyncSemaphore semaphore = AsyncSemaphore.of(1);
        for (int round = 0; round < 1_000; round++) {
            semaphore.acquire().get(5, SECONDS);
            CompletableFuture<Void> waiter = semaphore.acquire();
            CountDownLatch start = new CountDownLatch(1);
            CompletableFuture<Void> releasing = CompletableFuture.runAsync(() -> {
                awaitLatch(start);
                semaphore.release();
            });

            start.countDown();
            boolean cancelled = waiter.cancel(false);
            releasing.get(5, SECONDS);

            if (!cancelled) {
                semaphore.release(); // the waiter won: it holds the permit
            }
            assertAllPermitsComeBack(semaphore, 1);
        }
    }

    @Test
    void withPermitReleasesAfterAValue() throws Exception {
        AsyncSemaphore semaphore = AsyncSemaphore.of(1);

        Task<String> task = semaphore.withPermit(() -> CompletableFuture.completedFuture("done"));

        assertEquals("done", task.get(5, SECONDS));
        assertEquals(1, semaphore.availablePermits());
    }

    @Test
    void withPermitReleasesWhenTheBodyThrowsOrReturnsAFailedStage() {
        AsyncSemaphore semaphore = AsyncSemaphore.of(1);
        IOException failure = new IOException("boom");

        Task<String> thrown = semaphore.withPermit(() -> {
            throw new IllegalStateException("thrown");
        });
        Task<String> failed = semaphore.withPermit(() -> CompletableFuture.failedFuture(failure));

        ExecutionException first = assertThrows(ExecutionException.class, () -> thrown.get(5, SECONDS));
        ExecutionException second = assertThrows(ExecutionException.class, () -> failed.get(5, SECONDS));
        assertEquals("thrown", first.getCause().getMessage());
        assertSame(failure, second.getCause());
        assertEquals(1, semaphore.availablePermits());
    }

    @Test
    void cancellingWithPermitCancelsTheBodyStageAndReleases() throws Exception {
        AsyncSemaphore semaphore = AsyncSemaphore.of(1);
        CompletableFuture<String> stage = new CompletableFuture<>();
        Task<String> task = semaphore.withPermit(() -> stage);

        task.cancelAndJoin().get(5, SECONDS);

        assertTrue(stage.isCancelled());
        assertEquals(1, semaphore.availablePermits());
    }

    @Test
    void withPermitOnAFreeSemaphoreRunsTheBodyOnTheCallingThread() throws Exception {
        AsyncSemaphore semaphore = AsyncSemaphore.of(1);
        Thread caller = Thread.currentThread();

        Task<Thread> ranOn = semaphore.withPermit(() -> CompletableFuture.completedFuture(Thread.currentThread()));

        assertTrue(ranOn.isDone());
        assertSame(caller, ranOn.get());
    }

    @Test
    void withPermitWaitsForAPermitBeforeRunningTheBody() throws Exception {
        AsyncSemaphore semaphore = AsyncSemaphore.of(1);
        Steps steps = new Steps();
        semaphore.acquire();
        steps.expect(1);

        Task<Void> task = semaphore.withPermit(() -> {
            steps.expect(3);
            return CompletableFuture.completedFuture(null);
        });
        steps.expect(2);
        semaphore.release();

        task.get(5, SECONDS);
        steps.finish(4);
    }

    @Test
    void withPermitBlockingReleasesWhateverTheBodyDoes() throws Exception {
        AsyncSemaphore semaphore = AsyncSemaphore.of(1);
        CountDownLatch entered = new CountDownLatch(1);

        Task<Integer> value = semaphore.withPermitBlocking(() -> 42);
        assertEquals(42, value.get(5, SECONDS));
        Task<Integer> failing = semaphore.withPermitBlocking(() -> {
            throw new IOException("blocking failure");
        });
        assertThrows(ExecutionException.class, () -> failing.get(5, SECONDS));
        Task<Integer> interrupted = semaphore.withPermitBlocking(() -> {
            entered.countDown();
            new CountDownLatch(1).await();
            return 0;
        });
        entered.await(5, SECONDS);
        interrupted.cancelAndJoin().get(5, SECONDS);

        assertEquals(1, semaphore.availablePermits());
    }

    @Test
    void kotlinAndJavaCodeShareOnePermit() throws Exception {
        Semaphore kotlinSemaphore = SemaphoreKt.Semaphore(1, 0);
        AsyncSemaphore javaView = AsyncSemaphore.from(kotlinSemaphore);
        javaView.acquire().get(5, SECONDS);

        Task<Unit> kotlinAcquire = Coroutines.<Unit>call(c -> kotlinSemaphore.acquire(c));
        boolean kotlinGotItWhileJavaHeld = kotlinAcquire.isDone();
        javaView.release();
        kotlinAcquire.get(5, SECONDS);
        CompletableFuture<Void> javaAcquire = javaView.acquire();
        boolean javaGotItWhileKotlinHeld = javaAcquire.isDone();
        kotlinSemaphore.release();

        assertSame(kotlinSemaphore, javaView.asKotlin());
        assertFalse(kotlinGotItWhileJavaHeld);
        assertFalse(javaGotItWhileKotlinHeld);
        javaAcquire.get(5, SECONDS);
        javaView.release();
        assertEquals(1, kotlinSemaphore.getAvailablePermits());
    }

    @Test
    void seededStressNeverExceedsTheLimitAndReturnsEveryPermit() throws Exception {
        int limit = 8;
        AsyncSemaphore semaphore = AsyncSemaphore.of(limit);
        Random random = new Random(20_240_603L);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        List<CompletableFuture<?>> tasks = new ArrayList<>();

        for (int i = 0; i < 10_000; i++) {
            boolean fail = random.nextInt(5) == 0;
            boolean async = random.nextBoolean();
            Task<Integer> task = semaphore.withPermit(() -> {
                mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                CompletableFuture<Integer> held = new CompletableFuture<>();
                AtomicBoolean left = new AtomicBoolean();
                Runnable leave = () -> {
                    if (left.compareAndSet(false, true)) {
                        inside.decrementAndGet();
                    }
                };
                held.whenComplete((value, failure) -> leave.run()); // when the task cancels the stage
                Runnable finish = () -> {
                    leave.run(); // before completing: completion may hand the permit on at once
                    if (fail) {
                        held.completeExceptionally(new IllegalStateException("planned failure"));
                    } else {
                        held.complete(1);
                    }
                };
                if (async) {
                    CompletableFuture.runAsync(finish);
                } else {
                    finish.run();
                }
                return held;
            });
            if (random.nextInt(4) == 0) {
                task.cancel(random.nextBoolean());
            }
            tasks.add(task.handle((value, failure) -> null));
            CompletableFuture<Void> acquired = semaphore.acquire();
            if (random.nextInt(3) == 0) {
                acquired.cancel(false);
            }
            tasks.add(acquired.handle((value, failure) -> {
                if (failure == null) {
                    semaphore.release();
                }
                return null;
            }));
        }
        CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).get(30, SECONDS);

        assertAllPermitsComeBack(semaphore, limit);
        assertTrue(mostInside.get() <= limit, "observed " + mostInside.get() + " bodies at once");
    }

    /**
     * Asserts that exactly {@code permits} permits exist once everything has settled: a cancelled
     * waiter gives back a late grant on its own dispatcher, so the permits are acquired (waiting
     * for such give-backs) rather than read from a snapshot.
     */
    static void assertAllPermitsComeBack(AsyncSemaphore semaphore, int permits) throws Exception {
        for (int i = 0; i < permits; i++) {
            semaphore.acquire().get(5, SECONDS);
        }
        assertFalse(semaphore.tryAcquire(), "a permit was created");
        for (int i = 0; i < permits; i++) {
            semaphore.release();
        }
        assertEquals(permits, semaphore.availablePermits());
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        }
    }
}
