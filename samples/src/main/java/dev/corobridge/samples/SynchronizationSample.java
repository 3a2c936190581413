package dev.corobridge.samples;

import dev.corobridge.AsyncBarrier;
import dev.corobridge.AsyncCondition;
import dev.corobridge.AsyncEvent;
import dev.corobridge.AsyncMutex;
import dev.corobridge.AsyncSemaphore;
import dev.corobridge.Coroutines;
import dev.corobridge.Task;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/*
 * Seed 001's synchronization list: Lock, Semaphore, Event, Condition, Barrier. One small scene
 * each; nothing here blocks a thread (every wait is a CompletableFuture).
 *
 * What to notice:
 *  - Lock: ten tasks add to a counter that needs a read, a pause and a write; withLock makes the
 *    three steps one, so no update is lost.
 *  - Semaphore: eight downloads, at most three at once (the peak is counted).
 *  - Event: the guests wait until the door opens; set() lets all of them in.
 *  - Condition: a consumer waits, under the lock, until the shelf has bread.
 *  - Barrier: three runners each get a place once all three have arrived.
 */
final class SynchronizationSample implements Sample {

    record Result(int counter, int peakDownloads, int guestsIn, String bought, List<Integer> places) {}

    @Override
    public String name() {
        return "sync";
    }

    @Override
    public String title() {
        return "Lock, Semaphore, Event, Condition, Barrier: one scene each (seed 001)";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        demonstrate(out);
    }

    static Result demonstrate(PrintStream out) throws Exception {
        return Coroutines.run(scope -> {
            AsyncMutex lock = AsyncMutex.create();
            int[] counter = {0};
            List<Task<Void>> adders = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                adders.add(scope.async(() -> lock.withLock(() -> {
                    int read = counter[0];
                    return Coroutines.sleep(Duration.ofMillis(1)).thenRun(() -> counter[0] = read + 1);
                })));
            }

            AsyncSemaphore slots = AsyncSemaphore.of(3);
            AtomicInteger downloading = new AtomicInteger();
            AtomicInteger peak = new AtomicInteger();
            List<Task<Void>> downloads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                downloads.add(scope.async(() -> slots.withPermit(() -> {
                    peak.accumulateAndGet(downloading.incrementAndGet(), Math::max);
                    return Coroutines.sleep(Duration.ofMillis(5)).thenRun(downloading::decrementAndGet);
                })));
            }

            AsyncEvent doorOpen = AsyncEvent.create();
            AtomicInteger guestsIn = new AtomicInteger();
            List<CompletableFuture<Void>> guests = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                guests.add(doorOpen.await().thenRun(guestsIn::incrementAndGet));
            }
            doorOpen.set();

            AsyncMutex shelfLock = AsyncMutex.create();
            AsyncCondition breadArrived = AsyncCondition.create(shelfLock);
            List<String> shelf = new ArrayList<>();
            Task<String> shopper = scope.async(() -> shelfLock.lock()
                    .thenCompose(locked -> breadArrived.awaitUntil(() -> !shelf.isEmpty()))
                    .thenApply(ready -> shelf.remove(0))
                    .whenComplete((bread, failure) -> shelfLock.unlock()));
            Task<Void> baker = scope.async(() -> shelfLock.withLock(() -> {
                shelf.add("bread");
                breadArrived.signalAll();
                return CompletableFuture.completedFuture(null);
            }));

            AsyncBarrier start = AsyncBarrier.of(3);
            List<CompletableFuture<Integer>> runners = List.of(start.arrive(), start.arrive(), start.arrive());

            return Coroutines.gather(List.of(Coroutines.gather(adders), Coroutines.gather(downloads),
                            Coroutines.gather(guests), shopper, baker, Coroutines.gather(runners)))
                    .thenApply(done -> {
                        Result result = new Result(counter[0], peak.get(), guestsIn.get(), shopper.join(),
                                runners.stream().map(CompletableFuture::join).toList());
                        out.println("lock: counter " + result.counter() + " after 10 locked read-pause-writes");
                        out.println("semaphore: at most " + result.peakDownloads() + " of 8 downloads at once");
                        out.println("event: " + result.guestsIn() + " guests in once the door opened");
                        out.println("condition: the shopper bought " + result.bought());
                        out.println("barrier: places " + result.places());
                        return result;
                    });
        });
    }
}
