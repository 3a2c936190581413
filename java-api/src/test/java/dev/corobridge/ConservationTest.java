package dev.corobridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.corobridge.testing.NoLeaks;
import dev.corobridge.testing.Stress;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The conservation law of channels and generators under random cancellation of producers and
 * consumers: every element is accounted for exactly once. For a channel,
 * {@code sent − failedTrySend = received + undelivered}, no element is received twice, every
 * accepted element is closed exactly once (by its consumer or by the undelivered-element handler).
 * For a generator, the consumer receives only elements whose {@code yield} returned, each once and
 * in order, also when it gives up waits, and the producer's {@code finally} runs once on close.
 * Once a cancelled channel or a closed generator is itself unreachable, so is every element that
 * went through it: nothing in the library (hand-overs, tasks, claims) keeps one. While the channel
 * is still reachable, kotlinx's channel may keep a few (RELIABILITY.md, row 3), so that is not
 * checked.
 *
 * <p>Randomized with a seed printed on failure; {@code -Dcorobridge.seed=N} replays one.
 */
@ExtendWith(NoLeaks.class)
class ConservationTest {
    private static final int ROUNDS = Stress.times(40);
    private static final int ELEMENTS_PER_PRODUCER = 150;
    private static final int FOR_EACH_ROUNDS = Stress.times(300);
    private static final int REACHABILITY_ROUNDS = Stress.times(8);
    private static ExecutorService workers;

    @BeforeAll
    static void startWorkers() {
        workers = Executors.newFixedThreadPool(4);
    }

    @AfterAll
    static void stopWorkers() throws InterruptedException {
        workers.shutdownNow();
        assertTrue(workers.awaitTermination(5, TimeUnit.SECONDS));
    }

    /** An element that must be closed exactly once: by whoever received it, or by the channel's handler. */
    private static final class Resource {
        final int id;
        final AtomicInteger closes = new AtomicInteger();
        final AtomicInteger receipts = new AtomicInteger();
        volatile boolean accepted;
        volatile String how = "created";

        Resource(int id) {
            this.id = id;
        }

        @Override
        public String toString() {
            return "Resource" + id + "[closes=" + closes + ", receipts=" + receipts + ", accepted=" + accepted + ", " + how + "]";
        }
    }

    @Test
    void channelsConserveEveryElementUnderRandomCancellation() throws Exception {
        Stress.rounds(ROUNDS, ConservationTest::channelRound);
    }

    private static void channelRound(long seed) throws Exception {
        Random random = new Random(seed);
        AtomicInteger undelivered = new AtomicInteger();
        int kindNo = random.nextInt(4);
        AsyncChannel<Resource> channel = randomChannel(kindNo, random, element -> {
            element.closes.incrementAndGet();
            undelivered.incrementAndGet();
        });
        boolean cancelMidway = random.nextInt(4) == 0;
        ConcurrentLinkedQueue<Resource> created = new ConcurrentLinkedQueue<>();
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger failedTrySend = new AtomicInteger();
        AtomicInteger received = new AtomicInteger();

        exchange(channel, random, created::add, attempts, failedTrySend, received, cancelMidway);

        String label = channel + " kind " + kindNo + (cancelMidway ? " cancelled midway" : "");
        assertEventually(() -> attempts.get() - failedTrySend.get() == received.get() + undelivered.get(),
                () -> label + ": sent " + attempts + " − failedTrySend " + failedTrySend + " ≠ received " + received
                        + " + undelivered " + undelivered + "; unaccounted: "
                        + created.stream().filter(e -> e.accepted && e.closes.get() == 0).toList());
        for (Resource element : created) {
            int expectedCloses = element.accepted ? 1 : 0;
            assertEquals(expectedCloses, element.closes.get(), () -> "closed a wrong number of times: " + element);
            assertTrue(element.receipts.get() <= 1, () -> "received twice: " + element);
        }
        created.clear();
        assertTrue(channel.isClosedForReceive());
    }

    private static AsyncChannel<Resource> randomChannel(int kind, Random random, Consumer<Resource> onUndelivered) {
        return switch (kind) {
            case 0 -> AsyncChannel.rendezvous(onUndelivered);
            case 1 -> AsyncChannel.buffered(1 + random.nextInt(8), onUndelivered);
            case 2 -> AsyncChannel.unlimited(onUndelivered);
            default -> AsyncChannel.conflated(onUndelivered);
        };
    }

    /**
     * Runs 2 producers and 2 consumers over {@code channel} until the producers are done, then
     * closes it, lets the consumers drain it and cancels it. Each element is shown to {@code created}.
     */
    private static void exchange(AsyncChannel<Resource> channel, Random random, Consumer<Resource> created,
            AtomicInteger attempts, AtomicInteger failedTrySend, AtomicInteger received, boolean cancelMidway) throws Exception {
        List<Future<?>> producers = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            long producerSeed = random.nextLong();
            int base = p * ELEMENTS_PER_PRODUCER;
            boolean byPut = random.nextBoolean();
            producers.add(workers.submit(() -> {
                Random producerRandom = new Random(producerSeed);
                Runnable produce = () -> produce(channel, producerRandom, base, created, attempts, failedTrySend, cancelMidway, byPut);
                if (byPut) {
                    interruptedAtRandom(producerRandom.nextLong(), produce);
                } else {
                    produce.run();
                }
                return null;
            }));
        }
        List<Future<?>> consumers = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            long consumerSeed = random.nextLong();
            boolean byIterator = random.nextBoolean();
            consumers.add(workers.submit(() -> {
                if (byIterator) {
                    consumeByIterator(channel, new Random(consumerSeed), received);
                } else {
                    consume(channel, new Random(consumerSeed), received);
                }
                return null;
            }));
        }
        for (Future<?> producer : producers) {
            producer.get(30, TimeUnit.SECONDS);
        }
        channel.close();
        for (Future<?> consumer : consumers) {
            consumer.get(30, TimeUnit.SECONDS);
        }
        channel.cancel();
    }

    /**
     * Sends its share of elements: one in four with {@code trySend}, the others with {@code send},
     * one in five of those cancelled, or, {@code byPut}, with {@code put} while
     * {@link #interruptedAtRandom} interrupts this thread: a put that an interrupt ends must have
     * handed its element to the channel's handler, unless a consumer took it at that moment.
     */
    private static void produce(AsyncChannel<Resource> channel, Random random, int base, Consumer<Resource> created,
            AtomicInteger attempts, AtomicInteger failedTrySend, boolean cancelMidway, boolean byPut) {
        for (int i = 0; i < ELEMENTS_PER_PRODUCER; i++) {
            Resource element = new Resource(base + i);
            created.accept(element);
            attempts.incrementAndGet();
            if (cancelMidway && i == ELEMENTS_PER_PRODUCER / 2 && base == 0) {
                channel.cancel();
            }
            if (random.nextInt(4) == 0) {
                element.accepted = channel.trySend(element);
                element.how = "trySend " + element.accepted;
                if (!element.accepted) {
                    failedTrySend.incrementAndGet();
                }
                continue;
            }
            element.accepted = true;
            if (byPut) {
                put(channel, element);
            } else {
                send(channel, element, random);
            }
        }
    }

    private static void put(AsyncChannel<Resource> channel, Resource element) {
        try {
            channel.put(element);
            element.how = "put ok";
        } catch (InterruptedException | ChannelClosedException given) {
            element.how = "put " + given;
            // given up, or the channel closed: either way the handler or a consumer accounts for it
        }
    }

    private static void send(AsyncChannel<Resource> channel, Resource element, Random random) {
        CompletableFuture<Void> sent = channel.send(element);
        element.how = "send " + sent.isDone();
        if (random.nextInt(5) == 0) {
            element.how += " cancel " + sent.cancel(random.nextBoolean());
        }
        try {
            sent.get(10, TimeUnit.SECONDS);
            element.how += " ok";
        } catch (CancellationException | ExecutionException settled) {
            element.how += " " + settled;
            // cancelled, or the channel closed: either way the handler or a consumer accounts for it
        } catch (java.util.concurrent.TimeoutException stuck) {
            throw new AssertionError("a send did not settle in 10 s: " + element, stuck);
        } catch (InterruptedException unexpected) {
            throw new AssertionError("nothing interrupts a producer that sends", unexpected);
        }
    }

    private static void consume(AsyncChannel<Resource> channel, Random random, AtomicInteger received) throws InterruptedException {
        while (true) {
            CompletableFuture<Resource> next = channel.receive();
            if (random.nextInt(5) == 0) {
                next.cancel(random.nextBoolean());
            }
            try {
                Resource element = next.get(10, TimeUnit.SECONDS);
                element.receipts.incrementAndGet();
                element.closes.incrementAndGet();
                received.incrementAndGet();
            } catch (CancellationException cancelled) {
                // given up: if it had taken an element, the channel's handler accounts for it
            } catch (ExecutionException closed) {
                if (!(closed.getCause() instanceof ChannelClosedException)) {
                    throw new AssertionError("receive failed with something else than the closing", closed.getCause());
                }
                return;
            } catch (java.util.concurrent.TimeoutException stuck) {
                throw new AssertionError("a receive did not settle in 10 s", stuck);
            }
        }
    }

    /**
     * Consumes with the channel's blocking iterator while {@link #interruptedAtRandom} interrupts
     * this thread: a wait that an interrupt ends and that had taken an element at that moment must
     * have handed it to the channel's handler.
     */
    private static void consumeByIterator(AsyncChannel<Resource> channel, Random random, AtomicInteger received) {
        interruptedAtRandom(random.nextLong(), () -> {
            Iterator<Resource> elements = channel.iterator();
            while (true) {
                try {
                    if (!elements.hasNext()) {
                        return;
                    }
                    Resource element = elements.next();
                    element.receipts.incrementAndGet();
                    element.closes.incrementAndGet();
                    received.incrementAndGet();
                } catch (CancellationException interrupted) {
                    Thread.interrupted(); // given up: if it had taken an element, the channel's handler accounts for it
                }
            }
        });
    }

    /**
     * Runs {@code body} on this thread while another thread interrupts it at random moments, up to
     * 200 µs apart; returns with the flag cleared.
     */
    private static void interruptedAtRandom(long seed, Runnable body) {
        Thread target = Thread.currentThread();
        AtomicBoolean done = new AtomicBoolean();
        Thread interrupter = new Thread(() -> {
            Random pauses = new Random(seed);
            while (!done.get()) {
                LockSupport.parkNanos(1 + pauses.nextInt(200_000));
                if (!done.get()) {
                    target.interrupt();
                }
            }
        }, "conservation-interrupter");
        interrupter.start();
        try {
            body.run();
        } finally {
            done.set(true);
            while (interrupter.isAlive()) {
                try {
                    interrupter.join();
                } catch (InterruptedException last) {
                    // the interrupter's last interrupt, sent before it saw done
                }
            }
            Thread.interrupted(); // the pool's thread goes back without it
        }
    }

    @Test
    void generatorsHandOutYieldedElementsOnceEachInOrderDespiteGivenUpWaits() throws Exception {
        Stress.rounds(ROUNDS, seed -> generatorRound(seed, false));
    }

    @Test
    void generatorIteratorsHandOutYieldedElementsOnceEachInOrderDespiteInterruptedWaits() throws Exception {
        Stress.rounds(ROUNDS, seed -> generatorRound(seed, true));
    }

    /**
     * One generator consumed to a random point, by {@code next()} futures of which some are
     * cancelled, or by its iterator with some waits interrupted; each element given up so must go
     * to the next call. Runs on a worker with a deadline: a lost element shows as a timeout.
     */
    private static void generatorRound(long seed, boolean byIterator) throws Exception {
        Random random = new Random(seed);
        int bufferSize = bufferSize(random);
        int length = length(random, bufferSize);
        int closeAfter = random.nextInt(length + 10);
        ConcurrentLinkedQueue<Resource> yielded = new ConcurrentLinkedQueue<>();
        AtomicInteger finallyRan = new AtomicInteger();
        List<Resource> consumed = new ArrayList<>();

        Generator<Resource> generator = Generator.of(bufferSize, yielder -> {
            try {
                for (int i = 0; i < length; i++) {
                    Resource element = new Resource(i);
                    yielder.yield(element);
                    yielded.add(element);
                }
            } finally {
                finallyRan.incrementAndGet();
            }
        });
        Iterator<Resource> iterator = generator.iterator();
        workers.submit(() -> {
            while (consumed.size() < closeAfter) {
                Optional<Resource> element = byIterator ? nextOrGiveUp(iterator, random) : nextOrGiveUp(generator, random);
                if (element == null) {
                    continue; // a given-up wait: the element stays for the next call
                }
                if (element.isEmpty()) {
                    break;
                }
                element.get().receipts.incrementAndGet();
                consumed.add(element.get());
            }
            return null;
        }).get(10, TimeUnit.SECONDS);
        generator.close();

        assertEquals(closeAfter > 0 ? 1 : 0, finallyRan.get(), "the producer's finally ran once if it started, never if not");
        assertEquals(Optional.empty(), generator.next().get(5, TimeUnit.SECONDS));
        for (int i = 0; i < consumed.size(); i++) {
            assertEquals(i, consumed.get(i).id, "elements out of order or skipped");
            assertEquals(1, consumed.get(i).receipts.get(), "received twice");
        }
        List<Resource> yieldedList = List.copyOf(yielded);
        assertTrue(yieldedList.containsAll(consumed.subList(0, Math.max(0, consumed.size() - 1))),
                "a consumer got an element whose yield had not returned");
        assertTrue(generator.toString().contains("closed"));
    }

    /** The next element, or null if this call gave up its wait (one in six is cancelled). */
    private static @Nullable Optional<Resource> nextOrGiveUp(Generator<Resource> generator, Random random) throws Exception {
        CompletableFuture<Optional<Resource>> next = generator.next();
        if (random.nextInt(6) == 0 && next.cancel(false)) {
            return null;
        }
        return next.get();
    }

    /** The next element, or null if this call's wait was interrupted (one in six is). */
    private static @Nullable Optional<Resource> nextOrGiveUp(Iterator<Resource> iterator, Random random) {
        boolean interrupt = random.nextInt(6) == 0;
        if (interrupt) {
            Thread.currentThread().interrupt();
        }
        try {
            return iterator.hasNext() ? Optional.of(iterator.next()) : Optional.empty();
        } catch (CancellationException interrupted) {
            return null;
        } finally {
            if (interrupt) {
                Thread.interrupted(); // hasNext keeps the flag when it waited, and does not look at it when it did not
            }
        }
    }

    @Test
    void bufferedForEachGetsEveryYieldedElementOnceInOrderWhateverEndsIt() throws Exception {
        Stress.rounds(FOR_EACH_ROUNDS, ConservationTest::forEachRound);
    }

    /** How a {@link #forEachRound} ends. */
    private enum Ending { PRODUCER_RETURNS, PRODUCER_THROWS, ACTION_THROWS, CLOSED_BY_ANOTHER_THREAD }

    /**
     * One forEach over a small buffer (or, one time in five each, an unbounded one and one of more
     * than one array), ended in a random way at a random element, with the producer and the
     * consumer each pausing now and then so that both the full and the empty buffer are waited on.
     * Runs on a worker with a deadline: a lost wake-up shows as a timeout.
     */
    private static void forEachRound(long seed) throws Exception {
        Random random = new Random(seed);
        int kind = random.nextInt(5);
        int bufferSize = kind == 0 ? Integer.MAX_VALUE : kind == 1 ? 257 + random.nextInt(300) : 1 + random.nextInt(4);
        int length = random.nextInt(bufferSize > RingBuffer.ARRAY_SLOTS ? 800 : 400);
        Ending ending = Ending.values()[random.nextInt(Ending.values().length)];
        int endAt = random.nextInt(length + 1);
        int producerPauseEvery = 1 + random.nextInt(50);
        int consumerPauseEvery = 1 + random.nextInt(50);
        Exception producerFailure = new java.io.IOException("producer failed at " + endAt);
        IllegalStateException actionFailure = new IllegalStateException("action failed at " + endAt);
        AtomicInteger returnedYields = new AtomicInteger();
        AtomicInteger finallyRan = new AtomicInteger();
        List<Integer> consumed = new ArrayList<>();
        List<String> overruns = new ArrayList<>();
        Generator<Integer> generator = Generator.of(bufferSize, yielder -> {
            try {
                for (int i = 0; i < length; i++) {
                    if (ending == Ending.PRODUCER_THROWS && i == endAt) {
                        throw producerFailure;
                    }
                    if (i % producerPauseEvery == 0) {
                        Thread.yield(); // lets the consumer catch up and wait on an empty buffer
                    }
                    yielder.yield(i);
                    returnedYields.incrementAndGet();
                }
            } finally {
                finallyRan.incrementAndGet();
            }
        });
        Future<?>[] closing = new Future<?>[1];

        Future<Throwable> consumer = workers.submit(() -> {
            try {
                generator.forEach(element -> {
                    consumed.add(element);
                    int ahead = returnedYields.get() - consumed.size();
                    if (ahead > bufferSize) {
                        overruns.add("after " + consumed.size() + " received, " + ahead + " more yields had returned");
                    }
                    if (consumed.size() % consumerPauseEvery == 0) {
                        Thread.yield(); // lets the producer fill the buffer and wait on it
                    }
                    if (element == endAt && ending == Ending.ACTION_THROWS) {
                        throw actionFailure;
                    }
                    if (element == endAt && ending == Ending.CLOSED_BY_ANOTHER_THREAD) {
                        closing[0] = workers.submit(generator::close);
                    }
                });
                return null;
            } catch (Throwable thrown) {
                return thrown;
            }
        });
        Throwable thrown = consumer.get(10, TimeUnit.SECONDS);
        if (closing[0] != null) {
            closing[0].get(10, TimeUnit.SECONDS);
        }

        assertEquals(1, finallyRan.get(), "the producer's finally runs once, and forEach returns only after it");
        assertEquals(List.of(), overruns, "buffer " + bufferSize + " exceeded");
        for (int i = 0; i < consumed.size(); i++) {
            assertEquals(i, consumed.get(i), "elements out of order, skipped or received twice");
        }
        int expected = switch (ending) {
            case PRODUCER_RETURNS -> length;
            case PRODUCER_THROWS -> endAt;
            case ACTION_THROWS -> Math.min(endAt + 1, length);
            case CLOSED_BY_ANOTHER_THREAD -> -1; // any number from endAt + 1 on: the close races the producer
        };
        if (expected >= 0) {
            assertEquals(expected, consumed.size(), "elements received for " + ending + " at " + endAt + " of " + length);
        } else {
            assertTrue(consumed.size() >= Math.min(endAt + 1, length), "received " + consumed.size() + ", closed after " + endAt);
        }
        Throwable expectedFailure = ending == Ending.PRODUCER_THROWS && endAt < length ? producerFailure
                : ending == Ending.ACTION_THROWS && endAt < length ? actionFailure : null;
        assertSame(expectedFailure, thrown, "forEach throws the original exception, or nothing");
        assertEquals(Optional.empty(), generator.next().get(5, TimeUnit.SECONDS), "forEach closes the generator");
    }

    @Test
    void aForEachAndAnIteratorOnOtherThreadsShareTheElementsOnceEach() throws Exception {
        Stress.rounds(FOR_EACH_ROUNDS, ConservationTest::twoConsumersRound);
    }

    /**
     * One generator consumed at once by a forEach and by an iterator on another thread, each
     * pausing now and then, so that over a small ring the iterator and the producer go round it
     * while the forEach still holds elements it claimed: between them the two get every element
     * once, each in order. The buffer is a small ring, or one time in six each none (paced) or an
     * unbounded ring.
     */
    private static void twoConsumersRound(long seed) throws Exception {
        Random random = new Random(seed);
        int kind = random.nextInt(6);
        int bufferSize = kind == 0 ? 0 : kind == 1 ? Integer.MAX_VALUE : 1 + random.nextInt(8);
        int length = random.nextInt(400);
        int forEachPauseEvery = 1 + random.nextInt(20);
        int iteratorPauseEvery = 1 + random.nextInt(20);
        Generator<Integer> generator = Generator.of(bufferSize, yielder -> {
            for (int i = 0; i < length; i++) {
                yielder.yield(i);
            }
        });
        List<Integer> byForEach = new ArrayList<>();
        List<Integer> byIterator = new ArrayList<>();

        Future<?> forEach = workers.submit(() -> generator.forEach(element -> {
            byForEach.add(element);
            if (byForEach.size() % forEachPauseEvery == 0) {
                Thread.yield(); // lets the other two go round while this one holds a claim
            }
        }));
        Future<?> iterator = workers.submit(() -> {
            for (Iterator<Integer> elements = generator.iterator(); elements.hasNext(); ) {
                byIterator.add(elements.next());
                if (byIterator.size() % iteratorPauseEvery == 0) {
                    Thread.yield();
                }
            }
        });
        forEach.get(10, TimeUnit.SECONDS);
        iterator.get(10, TimeUnit.SECONDS);

        assertIncreasing(byForEach, "forEach");
        assertIncreasing(byIterator, "the iterator");
        List<Integer> all = new ArrayList<>(byForEach);
        all.addAll(byIterator);
        all.sort(null);
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i, all.get(i), "an element skipped or received twice; forEach " + byForEach + ", iterator " + byIterator);
        }
        assertEquals(length, all.size(), "elements lost; forEach " + byForEach + ", iterator " + byIterator);
    }

    private static void assertIncreasing(List<Integer> elements, String consumer) {
        for (int i = 1; i < elements.size(); i++) {
            assertTrue(elements.get(i - 1) < elements.get(i), consumer + " got them out of order: " + elements);
        }
    }

    @Test
    void aCancelledChannelKeepsNoElementReachableOnceItIsUnreachable() throws Exception {
        Stress.rounds(REACHABILITY_ROUNDS, seed -> {
            List<WeakReference<Resource>> elements = new CopyOnWriteArrayList<>();
            exchangeAndDropChannel(seed, elements); // returns with every strong reference to the elements dropped
            assertAllCollected(elements);
        });
    }

    /** A channel round whose channel, futures and elements are all dropped when it returns; only weak references are kept. */
    private static void exchangeAndDropChannel(long seed, List<WeakReference<Resource>> elements) throws Exception {
        Random random = new Random(seed);
        AsyncChannel<Resource> channel = randomChannel(random.nextInt(4), random, element -> element.closes.incrementAndGet());
        exchange(channel, random, element -> elements.add(new WeakReference<>(element)),
                new AtomicInteger(), new AtomicInteger(), new AtomicInteger(), random.nextInt(4) == 0);
    }

    @Test
    void aClosedGeneratorKeepsNoElementReachableOnceItIsUnreachable() throws Exception {
        Stress.rounds(REACHABILITY_ROUNDS, seed -> {
            List<WeakReference<Resource>> elements = new CopyOnWriteArrayList<>();
            consumePartlyAndDropGenerator(seed, elements); // returns with every strong reference to the elements dropped
            assertAllCollected(elements);
        });
    }

    /** Consumes part of a generator, giving up some waits, closes it, and drops it, its futures and elements. */
    private static void consumePartlyAndDropGenerator(long seed, List<WeakReference<Resource>> elements) throws Exception {
        Random random = new Random(seed);
        int bufferSize = bufferSize(random);
        int length = length(random, bufferSize);
        int closeAfter = 1 + random.nextInt(length + 10);
        Generator<Resource> generator = Generator.of(bufferSize, yielder -> {
            for (int i = 0; i < length; i++) {
                Resource element = new Resource(i);
                elements.add(new WeakReference<>(element));
                yielder.yield(element);
            }
        });
        int consumed = 0;
        while (consumed < closeAfter) {
            CompletableFuture<Optional<Resource>> next = generator.next();
            if (random.nextInt(6) == 0 && next.cancel(false)) {
                continue; // a given-up wait, whose element the next call takes over
            }
            if (next.get(10, TimeUnit.SECONDS).isEmpty()) {
                break;
            }
            consumed++;
        }
        generator.close();
    }

    /**
     * Waits until every element is collected. A coroutine still ending its cancellation may hold an
     * element for a moment, so this polls with a deadline rather than trying once.
     */
    private static void assertAllCollected(List<WeakReference<Resource>> elements) throws InterruptedException {
        assertFalse(elements.isEmpty(), "no element was made");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (countReachable(elements) > 0) {
            if (System.nanoTime() > deadline) {
                fail(countReachable(elements) + " of " + elements.size() + " elements still reachable: "
                        + elements.stream().map(Reference::get).filter(Objects::nonNull).limit(5).toList());
            }
            System.gc();
            Thread.sleep(10); // polling a condition with a deadline
        }
    }

    /**
     * A round's buffer: paced (0) two times in seven, unbounded one time in seven, a ring of 257 to
     * 556 slots (more than one array) one time in seven, else a ring of 1 to 5 slots.
     */
    private static int bufferSize(Random random) {
        int kind = random.nextInt(7);
        return kind < 2 ? 0 : kind == 2 ? Integer.MAX_VALUE : kind == 3 ? 257 + random.nextInt(300) : 1 + random.nextInt(5);
    }

    /**
     * A round's length: 50 to 150 elements, or for a buffer of more than one array (more than 256)
     * up to 850, so that its arrays link on, and a bounded one's may come round to its first.
     */
    private static int length(Random random, int bufferSize) {
        return 50 + random.nextInt(bufferSize > RingBuffer.ARRAY_SLOTS ? 800 : 100);
    }

    private static long countReachable(List<WeakReference<Resource>> elements) {
        return elements.stream().filter(element -> element.get() != null).count();
    }

    private static void assertEventually(BooleanSupplier condition, java.util.function.Supplier<String> message)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(message.get());
            }
            Thread.sleep(5); // polling a condition with a deadline
        }
    }
}
