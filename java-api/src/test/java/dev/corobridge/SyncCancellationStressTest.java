package dev.corobridge;

import static dev.corobridge.AsyncSemaphoreTest.assertAllPermitsComeBack;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.NoLeaks;
import dev.corobridge.testing.Stress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link AsyncSemaphore} and {@link AsyncMutex} under cancellation: cancelled waiters never keep a
 * permit, a waiter cancelled at the moment a permit is handed to it neither loses nor creates one,
 * one permit makes a racy counter exact, and a mutex whose holders are cancelled all the time still
 * lets every worker in.
 *
 * <p>Counts are small in the default build and 25 times larger with {@code -Pstress}; the
 * randomized tests print their seed on failure ({@code -Dcorobridge.seed=N} replays one).
 */
@ExtendWith(NoLeaks.class)
class SyncCancellationStressTest {
    private static final int WAITERS = Stress.times(400);
    private static final int RACES = Stress.times(400);
    private static final int INCREMENTS_PER_WORKER = Stress.times(250);
    private static final int COUNTING_WORKERS = 4;
    private static final int LOCKING_WORKERS = 3;
    private static final Duration PROGRESS_RUN = Duration.ofSeconds(Stress.times(2));
    private static final Duration PROGRESS_WINDOW = Duration.ofMillis(500);

    private static ExecutorService workers;

    @BeforeAll
    static void startWorkers() {
        workers = Executors.newFixedThreadPool(COUNTING_WORKERS + 1);
    }

    @AfterAll
    static void stopWorkers() throws InterruptedException {
        workers.shutdownNow();
        assertTrue(workers.awaitTermination(5, SECONDS));
    }

    @Test
    void cancelledSemaphoreWaitersLeaveAndEveryPermitComesBack() throws Exception {
        long seed = Stress.seed();
        int permits = 3;
        AsyncSemaphore semaphore = AsyncSemaphore.of(permits);
        for (int i = 0; i < permits; i++) {
            assertTrue(semaphore.tryAcquire());
        }
        List<CompletableFuture<Void>> waiters = new ArrayList<>();
        for (int i = 0; i < WAITERS; i++) {
            waiters.add(semaphore.acquire());
        }
        Collections.shuffle(waiters, new Random(seed));

        cancelFromTwoThreadsWhile(waiters, () -> {
            for (int i = 0; i < permits; i++) {
                semaphore.release();
            }
        });

        long granted = waiters.stream().filter(waiter -> !waiter.isCancelled()).count();
        assertTrue(granted <= permits, "seed " + seed + ": " + granted + " waiters granted, only " + permits + " released");
        for (int i = 0; i < granted; i++) {
            semaphore.release();
        }
        assertAllPermitsComeBack(semaphore, permits);
    }

    @Test
    void cancelledMutexWaitersLeaveAndTheLockComesBack() throws Exception {
        long seed = Stress.seed();
        AsyncMutex mutex = AsyncMutex.create();
        assertTrue(mutex.tryLock());
        List<CompletableFuture<Void>> waiters = new ArrayList<>();
        for (int i = 0; i < WAITERS; i++) {
            waiters.add(mutex.lock());
        }
        Collections.shuffle(waiters, new Random(seed));

        cancelFromTwoThreadsWhile(waiters, mutex::unlock);

        long granted = waiters.stream().filter(waiter -> !waiter.isCancelled()).count();
        assertTrue(granted <= 1, "seed " + seed + ": " + granted + " waiters hold the lock");
        if (granted == 1) {
            mutex.unlock();
        }
        assertLockComesBack(mutex);
    }

    @Test
    void releaseRacingACancelledWaiterNeverLosesOrCreatesAPermit() throws Exception {
        int cancelledFirst = 0;

        for (int race = 0; race < RACES; race++) {
            AsyncSemaphore semaphore = AsyncSemaphore.of(2);
            assertTrue(semaphore.tryAcquire());
            assertTrue(semaphore.tryAcquire());
            CompletableFuture<Void> raced = semaphore.acquire();
            CompletableFuture<Void> next = semaphore.acquire();

            race(semaphore::release, () -> raced.cancel(false));

            assertTrue(raced.isDone());
            if (raced.isCancelled()) {
                cancelledFirst++;
                next.get(5, SECONDS); // the released permit skips the cancelled waiter
            } else {
                assertFalse(next.isDone(), "race " + race + ": two waiters served by one release");
                semaphore.release();
                next.get(5, SECONDS);
            }
            semaphore.release(); // next's permit
            semaphore.release(); // the permit held from the start
            assertAllPermitsComeBack(semaphore, 2);
        }

        System.out.println("semaphore release-vs-cancel: " + RACES + " races, waiter cancelled in " + cancelledFirst
                + ", granted in " + (RACES - cancelledFirst));
    }

    @Test
    void unlockRacingACancelledWaiterHandsTheLockToExactlyOneHolder() throws Exception {
        int cancelledFirst = 0;

        for (int race = 0; race < RACES; race++) {
            AsyncMutex mutex = AsyncMutex.create();
            assertTrue(mutex.tryLock());
            CompletableFuture<Void> raced = mutex.lock();
            CompletableFuture<Void> next = mutex.lock();

            race(mutex::unlock, () -> raced.cancel(false));

            assertTrue(raced.isDone());
            if (raced.isCancelled()) {
                cancelledFirst++;
                next.get(5, SECONDS);
            } else {
                assertFalse(next.isDone(), "race " + race + ": one unlock woke two waiters");
                mutex.unlock();
                next.get(5, SECONDS);
            }
            mutex.unlock(); // next's lock
            assertLockComesBack(mutex);
        }

        System.out.println("mutex unlock-vs-cancel: " + RACES + " races, waiter cancelled in " + cancelledFirst
                + ", granted in " + (RACES - cancelledFirst));
    }

    @Test
    void onePermitKeepsARacyCounterExactAmidCancelledAcquires() throws Exception {
        AsyncSemaphore semaphore = AsyncSemaphore.of(1);

        int counted = countUnder(semaphore::withPermit, () -> {
            CompletableFuture<Void> abandoned = semaphore.acquire();
            if (!abandoned.cancel(false)) {
                semaphore.release(); // it was granted before the cancel
            }
        });

        assertEquals(COUNTING_WORKERS * INCREMENTS_PER_WORKER, counted);
        assertAllPermitsComeBack(semaphore, 1);
    }

    @Test
    void aMutexKeepsARacyCounterExactAmidCancelledLocks() throws Exception {
        AsyncMutex mutex = AsyncMutex.create();

        int counted = countUnder(mutex::withLock, () -> {
            CompletableFuture<Void> abandoned = mutex.lock();
            if (!abandoned.cancel(false)) {
                mutex.unlock();
            }
        });

        assertEquals(COUNTING_WORKERS * INCREMENTS_PER_WORKER, counted);
        assertLockComesBack(mutex);
    }

    /**
     * Every worker gets the lock within every {@link #PROGRESS_WINDOW}. Time in which nobody got it
     * (the whole JVM or machine paused: a GC, another process) is not held against a worker: that
     * is not the mutex starving one worker while others get in.
     */
    @Test
    void everyWorkerGetsTheLockInEveryWindowWhileHoldersAreCancelled() throws Exception {
        long seed = Stress.seed();
        AsyncMutex mutex = AsyncMutex.create();
        BlockingQueue<Task<Void>> holders = new LinkedBlockingQueue<>();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        CountDownLatch lockersDone = new CountDownLatch(LOCKING_WORKERS);
        long start = System.nanoTime();
        long end = start + PROGRESS_RUN.toNanos();
        List<Future<List<Long>>> lockers = new ArrayList<>();
        for (int worker = 0; worker < LOCKING_WORKERS; worker++) {
            Random random = new Random(seed + worker);
            lockers.add(workers.submit(() -> {
                try {
                    return lockUntil(end, mutex, random, holders, inside, mostInside);
                } finally {
                    lockersDone.countDown();
                }
            }));
        }

        Future<Integer> canceller = workers.submit(() -> cancelHoldersUntil(lockersDone, holders));

        List<List<Long>> entries = new ArrayList<>();
        List<Long> everyEntry = new ArrayList<>();
        for (Future<List<Long>> locker : lockers) {
            entries.add(locker.get(PROGRESS_RUN.toSeconds() + 30, SECONDS));
            everyEntry.addAll(entries.get(entries.size() - 1));
        }
        Collections.sort(everyEntry);
        long stall = longestGap(start, everyEntry, end);

        long worstGap = 0;
        for (int worker = 0; worker < LOCKING_WORKERS; worker++) {
            long gap = longestGap(start, entries.get(worker), end);
            worstGap = Math.max(worstGap, gap);
            assertTrue(gap - stall < PROGRESS_WINDOW.toNanos(), "seed " + seed + ": worker " + worker + " waited "
                    + TimeUnit.NANOSECONDS.toMillis(gap) + " ms for the lock (" + entries.get(worker).size()
                    + " entries), while nobody got it for at most " + TimeUnit.NANOSECONDS.toMillis(stall) + " ms");
        }
        int cancelled = canceller.get(5, SECONDS);
        assertTrue(cancelled > 0, "no holder was cancelled");
        assertEquals(1, mostInside.get(), "two holders at once");
        assertLockComesBack(mutex);
        System.out.println("mutex progress: " + LOCKING_WORKERS + " workers for " + PROGRESS_RUN.toMillis() + " ms, "
                + cancelled + " holders cancelled, longest wait " + TimeUnit.NANOSECONDS.toMillis(worstGap)
                + " ms, longest time nobody got the lock " + TimeUnit.NANOSECONDS.toMillis(stall) + " ms");
    }

    /**
     * Runs one worker of the progress test until {@code end}: takes the lock, holding it either
     * until the canceller cancels the task or briefly; returns when it got the lock each time.
     */
    private static List<Long> lockUntil(long end, AsyncMutex mutex, Random random, BlockingQueue<Task<Void>> holders,
            AtomicInteger inside, AtomicInteger mostInside) throws Exception {
        List<Long> entries = new ArrayList<>();
        while (System.nanoTime() < end) {
            boolean holdUntilCancelled = random.nextBoolean();
            CompletableFuture<Long> entered = new CompletableFuture<>();
            Task<Void> task = mutex.withLock(() -> {
                mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                entered.complete(System.nanoTime());
                CompletableFuture<Void> held = new CompletableFuture<>();
                AtomicBoolean left = new AtomicBoolean();
                Runnable leave = () -> {
                    if (left.compareAndSet(false, true)) {
                        inside.decrementAndGet();
                    }
                };
                held.whenComplete((value, failure) -> leave.run()); // a cancelled stage: runs before the unlock
                if (!holdUntilCancelled) {
                    CompletableFuture.runAsync(() -> {
                        leave.run(); // before completing: completion may hand the lock on at once
                        held.complete(null);
                    });
                }
                return held;
            });

            entries.add(entered.get(5, SECONDS));
            if (holdUntilCancelled) {
                holders.put(task);
            }

            task.handle((value, failure) -> null).get(5, SECONDS);
            assertEquals(holdUntilCancelled, task.isCancelled());
        }
        return entries;
    }

    /** Cancels every holder handed over, until the lockers are done; returns how many it cancelled. */
    private static int cancelHoldersUntil(CountDownLatch lockersDone, BlockingQueue<Task<Void>> holders)
            throws InterruptedException {
        int cancelled = 0;
        while (lockersDone.getCount() > 0) {
            Task<Void> holder = holders.poll(10, MILLISECONDS);
            if (holder != null && holder.cancel(false)) {
                cancelled++;
            }
        }
        return cancelled;
    }

    private static long longestGap(long start, List<Long> entries, long end) {
        long longest = 0;
        long previous = start;
        for (long entry : entries) {
            longest = Math.max(longest, entry - previous);
            previous = entry;
        }
        return Math.max(longest, end - previous);
    }

    /** A counter whose increments are only right under mutual exclusion. */
    private static final class Counter {
        int value;
    }

    /**
     * Lets {@link #COUNTING_WORKERS} threads each make {@link #INCREMENTS_PER_WORKER} increments
     * through {@code guarded}, reading the counter in the body and writing it from another thread
     * later, so that two holders at once would lose an increment; between increments each worker
     * runs {@code abandonAWait}. Returns the final count.
     */
    private static int countUnder(Function<Supplier<CompletionStage<Void>>, Task<Void>> guarded, Runnable abandonAWait)
            throws Exception {
        Counter counter = new Counter();
        List<Future<?>> counting = new ArrayList<>();
        for (int worker = 0; worker < COUNTING_WORKERS; worker++) {
            counting.add(workers.submit(() -> {
                for (int i = 0; i < INCREMENTS_PER_WORKER; i++) {
                    Task<Void> increment = guarded.apply(() -> {
                        int seen = counter.value;
                        return CompletableFuture.runAsync(() -> counter.value = seen + 1);
                    });
                    abandonAWait.run();
                    increment.get(5, SECONDS);
                }
                return null;
            }));
        }
        for (Future<?> worker : counting) {
            worker.get(60, SECONDS);
        }
        return counter.value;
    }

    /**
     * Cancels every waiter, half from a worker thread and half from this one, while
     * {@code meanwhile} runs on this thread between the two halves' starts.
     */
    private static void cancelFromTwoThreadsWhile(List<CompletableFuture<Void>> waiters, Runnable meanwhile)
            throws Exception {
        int half = waiters.size() / 2;
        Future<?> other = workers.submit(() -> waiters.subList(0, half).forEach(waiter -> waiter.cancel(false)));
        meanwhile.run();
        waiters.subList(half, waiters.size()).forEach(waiter -> waiter.cancel(false));
        other.get(5, SECONDS);
    }

    /**
     * Runs {@code onWorker} on a worker thread and {@code onThisThread} here, both released at
     * the same moment by spinning until each has arrived.
     */
    private static void race(Runnable onWorker, Runnable onThisThread) throws Exception {
        AtomicInteger arrived = new AtomicInteger();
        Future<?> other = workers.submit(() -> {
            arriveAndWaitForTheOther(arrived);
            onWorker.run();
        });
        arriveAndWaitForTheOther(arrived);
        onThisThread.run();
        other.get(5, SECONDS);
    }

    private static void arriveAndWaitForTheOther(AtomicInteger arrived) {
        arrived.incrementAndGet();
        while (arrived.get() < 2) {
            Thread.onSpinWait();
        }
    }

    /**
     * Asserts the mutex ends unlocked with nobody waiting: it is taken at once (waiting for a
     * cancelled waiter's give-back, which runs on that waiter's loop) and then free.
     */
    private static void assertLockComesBack(AsyncMutex mutex) throws Exception {
        mutex.lock().get(5, SECONDS);
        assertFalse(mutex.tryLock(), "the lock was handed out twice");
        mutex.unlock();
        assertFalse(mutex.isLocked());
    }
}
