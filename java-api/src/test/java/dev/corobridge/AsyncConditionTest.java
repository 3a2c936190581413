package dev.corobridge;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.NoLeaks;
import dev.corobridge.testing.Steps;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class AsyncConditionTest {
    private final AsyncMutex mutex = AsyncMutex.create();
    private final AsyncCondition condition = AsyncCondition.create(mutex);

    @Test
    void rejectsANullMutexOrPredicate() {
        NullPointerException noMutex = assertThrows(NullPointerException.class, () -> AsyncCondition.create(null));
        NullPointerException noPredicate = assertThrows(NullPointerException.class, () -> condition.awaitUntil(null));

        assertEquals("mutex", noMutex.getMessage());
        assertEquals("predicate", noPredicate.getMessage());
    }

    @Test
    void everyMethodRequiresTheMutexToBeHeld() {
        assertThrows(IllegalStateException.class, condition::await);
        assertThrows(IllegalStateException.class, () -> condition.awaitUntil(() -> true));
        assertThrows(IllegalStateException.class, condition::signal);
        IllegalStateException signalAll = assertThrows(IllegalStateException.class, condition::signalAll);

        assertTrue(signalAll.getMessage().contains("mutex"), signalAll.getMessage());
    }

    @Test
    void awaitReleasesTheMutexAndHoldsItAgainWhenSignalled() throws Exception {
        Steps steps = new Steps();
        mutex.lock();
        steps.expect(1);

        CompletableFuture<Void> waiting = condition.await();
        boolean releasedWhileWaiting = !mutex.isLocked();
        mutex.lock().get(5, SECONDS);
        steps.expect(2);
        condition.signal();
        boolean doneBeforeUnlock = waiting.isDone();
        mutex.unlock();
        waiting.get(5, SECONDS);
        steps.finish(3);

        assertTrue(releasedWhileWaiting);
        assertFalse(doneBeforeUnlock);
        assertTrue(mutex.isLocked());
        mutex.unlock();
    }

    @Test
    void signalWakesOneWaiterInArrivalOrder() throws Exception {
        List<Integer> woken = new ArrayList<>();
        List<CompletableFuture<Void>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int id = i;
            mutex.lock().get(5, SECONDS);
            waiters.add(condition.await().thenRun(() -> {
                synchronized (woken) {
                    woken.add(id);
                }
                mutex.unlock();
            }));
        }

        for (CompletableFuture<Void> waiter : waiters) {
            mutex.lock().get(5, SECONDS);
            condition.signal();
            mutex.unlock();
            waiter.get(5, SECONDS);
        }

        assertEquals(List.of(0, 1, 2), woken);
        assertFalse(mutex.isLocked());
    }

    @Test
    void signalAllWakesEveryWaiterEachHoldingTheMutexInTurn() throws Exception {
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger mostHolders = new AtomicInteger();
        List<CompletableFuture<Void>> waiters = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            mutex.lock().get(5, SECONDS);
            waiters.add(condition.await().thenRun(() -> {
                mostHolders.accumulateAndGet(holders.incrementAndGet(), Math::max);
                holders.decrementAndGet();
                mutex.unlock();
            }));
        }

        mutex.lock().get(5, SECONDS);
        condition.signalAll();
        mutex.unlock();

        CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new)).get(5, SECONDS);
        assertEquals(1, mostHolders.get());
        assertFalse(mutex.isLocked());
    }

    @Test
    void awaitUntilRechecksThePredicateUnderTheLock() throws Exception {
        int[] items = {0};
        BlockingQueue<Boolean> checks = new LinkedBlockingQueue<>();
        mutex.lock();
        CompletableFuture<Void> waiting = condition.awaitUntil(() -> {
            checks.add(mutex.isLocked());
            return items[0] >= 2;
        });
        Boolean firstCheckLocked = checks.poll();

        for (int i = 0; i < 2; i++) {
            mutex.lock().get(5, SECONDS);
            items[0]++;
            condition.signal();
            mutex.unlock();
            assertEquals(Boolean.TRUE, checks.poll(5, SECONDS)); // wait for the re-check
        }
        waiting.get(5, SECONDS);

        assertEquals(Boolean.TRUE, firstCheckLocked);
        assertTrue(checks.isEmpty(), "checked more often than signalled: " + checks);
        assertTrue(mutex.isLocked());
        mutex.unlock();
    }

    @Test
    void awaitUntilCompletesAtOnceWhenThePredicateHolds() {
        mutex.lock();

        CompletableFuture<Void> waiting = condition.awaitUntil(() -> true);

        assertTrue(waiting.isDone());
        assertTrue(mutex.isLocked());
        mutex.unlock();
    }

    @Test
    void aPredicateThatThrowsAfterASignalFailsTheWaitAndReleasesTheMutex() throws Exception {
        IllegalStateException failure = new IllegalStateException("bad state");
        boolean[] first = {true};
        mutex.lock();
        CompletableFuture<Void> waiting = condition.awaitUntil(() -> {
            if (first[0]) {
                first[0] = false;
                return false;
            }
            throw failure;
        });

        mutex.lock().get(5, SECONDS);
        condition.signal();
        mutex.unlock();

        assertSame(failure, assertThrows(ExecutionException.class, () -> waiting.get(5, SECONDS)).getCause());
        assertFalse(mutex.isLocked());
    }

    @Test
    void aCancelledWaiterIsSkippedAndTheSignalWakesTheNext() throws Exception {
        mutex.lock();
        CompletableFuture<Void> cancelled = condition.await();
        mutex.lock().get(5, SECONDS);
        CompletableFuture<Void> other = condition.await();

        cancelled.cancel(true);
        mutex.lock().get(5, SECONDS);
        condition.signal();
        mutex.unlock();

        other.get(5, SECONDS);
        assertTrue(mutex.isLocked());
        mutex.unlock();
        assertTrue(mutex.tryLock());
        mutex.unlock();
    }

    @Test
    void cancellingAWaiterWhileItIsSignalledNeverLosesTheSignalOrTheMutex() throws Exception {
        for (int round = 0; round < 500; round++) {
            mutex.lock().get(5, SECONDS);
            CompletableFuture<Void> racing = condition.await();
            mutex.lock().get(5, SECONDS);
            CompletableFuture<Void> backup = condition.await();
            mutex.lock().get(5, SECONDS);

            CompletableFuture<Void> signalling = CompletableFuture.runAsync(() -> {
                condition.signal();
                mutex.unlock();
            });
            boolean cancelled = racing.cancel(false);
            signalling.get(5, SECONDS);

            if (cancelled) {
                backup.get(5, SECONDS); // the signal passed on
            } else {
                racing.get(5, SECONDS);
                condition.signal();
                mutex.unlock();
                backup.get(5, SECONDS);
            }
            mutex.unlock();
            mutex.lock().get(5, SECONDS); // a mutex kept by a cancelled waiter would hang here
            mutex.unlock();
        }
        assertFalse(mutex.isLocked());
    }
}
