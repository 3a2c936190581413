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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import kotlin.Unit;
import kotlinx.coroutines.sync.Mutex;
import kotlinx.coroutines.sync.MutexKt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class AsyncMutexTest {

    @Test
    void rejectsNullArgumentsNamingThem() {
        AsyncMutex mutex = AsyncMutex.create();

        NullPointerException from = assertThrows(NullPointerException.class, () -> AsyncMutex.from(null));
        NullPointerException body = assertThrows(NullPointerException.class, () -> mutex.withLock(null));
        NullPointerException blocking = assertThrows(NullPointerException.class, () -> mutex.withLockBlocking(null));

        assertEquals("mutex", from.getMessage());
        assertEquals("body", body.getMessage());
        assertEquals("body", blocking.getMessage());
    }

    @Test
    void uncontendedLockCompletesAtOnce() {
        AsyncMutex mutex = AsyncMutex.create();

        CompletableFuture<Void> locked = mutex.lock();

        assertTrue(locked.isDone());
        assertTrue(mutex.isLocked());
    }

    @Test
    void lockWaitsUntilUnlocked() throws Exception {
        AsyncMutex mutex = AsyncMutex.create();
        mutex.lock();

        CompletableFuture<Void> waiting = mutex.lock();
        boolean doneWhileHeld = waiting.isDone();
        mutex.unlock();

        assertFalse(doneWhileHeld);
        waiting.get(5, SECONDS);
        assertTrue(mutex.isLocked());
    }

    @Test
    void tryLockFailsWhileLockedAndSucceedsWhenFree() {
        AsyncMutex mutex = AsyncMutex.create();

        boolean first = mutex.tryLock();
        boolean second = mutex.tryLock();
        mutex.unlock();
        boolean third = mutex.tryLock();

        assertTrue(first);
        assertFalse(second);
        assertTrue(third);
    }

    @Test
    void unlockingAnUnlockedMutexThrows() {
        AsyncMutex mutex = AsyncMutex.create();

        assertThrows(IllegalStateException.class, mutex::unlock);

        assertFalse(mutex.isLocked());
    }

    @Test
    void isNotReentrant() {
        AsyncMutex mutex = AsyncMutex.create();
        mutex.lock();

        CompletableFuture<Void> again = mutex.lock();

        assertFalse(again.isDone());
        again.cancel(true);
    }

    @Test
    void waitersGetTheLockFirstInFirstOut() throws Exception {
        AsyncMutex mutex = AsyncMutex.create();
        mutex.lock();
        List<Integer> order = new ArrayList<>();
        List<CompletableFuture<Void>> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int id = i;
            waiters.add(mutex.lock().thenRun(() -> {
                synchronized (order) {
                    order.add(id);
                }
            }));
        }

        for (CompletableFuture<Void> waiter : waiters) {
            mutex.unlock();
            waiter.get(5, SECONDS);
        }

        assertEquals(List.of(0, 1, 2, 3, 4), order);
        mutex.unlock();
    }

    @Test
    void cancelledLockNeverHoldsTheMutex() throws Exception {
        AsyncMutex mutex = AsyncMutex.create();
        mutex.lock();
        CompletableFuture<Void> cancelled = mutex.lock();
        CompletableFuture<Void> next = mutex.lock();

        cancelled.cancel(true);
        mutex.unlock();
        next.get(5, SECONDS);
        mutex.unlock();

        assertTrue(cancelled.isCancelled());
        assertFalse(mutex.isLocked());
    }

    @Test
    void cancellingWhileTheLockIsHandedOverNeverLeavesItHeld() throws Exception {
        AsyncMutex mutex = AsyncMutex.create();
        for (int round = 0; round < 1_000; round++) {
            mutex.lock().get(5, SECONDS);
            CompletableFuture<Void> waiter = mutex.lock();
            CompletableFuture<Void> unlocking = CompletableFuture.runAsync(mutex::unlock);

            boolean cancelled = waiter.cancel(false);
            unlocking.get(5, SECONDS);
            if (!cancelled) {
                mutex.unlock();
            }

            mutex.lock().get(5, SECONDS); // a lock lost to a cancelled waiter would hang here
            mutex.unlock();
        }
        assertFalse(mutex.isLocked());
    }

    @Test
    void withLockExcludesOtherHoldersAndUnlocksAfterwards() throws Exception {
        AsyncMutex mutex = AsyncMutex.create();
        Steps steps = new Steps();
        CompletableFuture<String> firstBody = new CompletableFuture<>();
        Task<String> first = mutex.withLock(() -> {
            steps.expect(1);
            return firstBody;
        });

        Task<String> second = mutex.withLock(() -> {
            steps.expect(3);
            return CompletableFuture.completedFuture("second");
        });
        steps.expect(2);
        firstBody.complete("first");

        assertEquals("first", first.get(5, SECONDS));
        assertEquals("second", second.get(5, SECONDS));
        steps.finish(4);
        assertFalse(mutex.isLocked());
    }

    @Test
    void withLockUnlocksWhenTheBodyThrowsFailsOrIsCancelled() throws Exception {
        AsyncMutex mutex = AsyncMutex.create();
        IOException failure = new IOException("failed stage");
        CompletableFuture<String> pending = new CompletableFuture<>();

        Task<String> thrown = mutex.withLock(() -> {
            throw new IllegalArgumentException("thrown");
        });
        Task<String> failed = mutex.withLock(() -> CompletableFuture.failedFuture(failure));
        Task<String> cancelled = mutex.withLock(() -> pending);
        cancelled.cancelAndJoin().get(5, SECONDS);

        assertEquals("thrown", assertThrows(ExecutionException.class, () -> thrown.get(5, SECONDS)).getCause().getMessage());
        assertSame(failure, assertThrows(ExecutionException.class, () -> failed.get(5, SECONDS)).getCause());
        assertTrue(pending.isCancelled());
        assertFalse(mutex.isLocked());
    }

    @Test
    void withLockBlockingUnlocksAfterTheBody() throws Exception {
        AsyncMutex mutex = AsyncMutex.create();
        CountDownLatch entered = new CountDownLatch(1);

        Task<String> value = mutex.withLockBlocking(() -> "blocking");
        assertEquals("blocking", value.get(5, SECONDS));
        Task<String> stuck = mutex.withLockBlocking(() -> {
            entered.countDown();
            new CountDownLatch(1).await();
            return "never";
        });
        entered.await(5, SECONDS);
        stuck.cancelAndJoin().get(5, SECONDS);

        assertFalse(mutex.isLocked());
    }

    @Test
    void kotlinAndJavaCodeExcludeEachOther() throws Exception {
        Mutex kotlinMutex = MutexKt.Mutex(false);
        AsyncMutex javaView = AsyncMutex.from(kotlinMutex);
        javaView.lock().get(5, SECONDS);

        Task<Unit> kotlinLock = Coroutines.<Unit>call(c -> kotlinMutex.lock(null, c));
        boolean kotlinGotItWhileJavaHeld = kotlinLock.isDone();
        javaView.unlock();
        kotlinLock.get(5, SECONDS);
        boolean javaGotItWhileKotlinHeld = javaView.tryLock();
        kotlinMutex.unlock(null);

        assertSame(kotlinMutex, javaView.asKotlin());
        assertFalse(kotlinGotItWhileJavaHeld);
        assertFalse(javaGotItWhileKotlinHeld);
        assertFalse(javaView.isLocked());
    }
}
