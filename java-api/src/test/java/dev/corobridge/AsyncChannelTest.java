package dev.corobridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.bridge.Kept;
import dev.corobridge.testing.NoLeaks;
import dev.corobridge.testing.Parked;
import dev.corobridge.testing.ParkedCall;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import kotlinx.coroutines.CompletableDeferred;
import kotlinx.coroutines.CompletableDeferredKt;
import kotlinx.coroutines.channels.Channel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(NoLeaks.class)
class AsyncChannelTest {

    @Test
    void aReceiveComposedIntoACancelledBodysStageIsCancelledAndTakesNothing() throws Exception {
        AsyncChannel<String> channel = AsyncChannel.buffered(1);
        CompletableFuture<CompletableFuture<String>> pending = new CompletableFuture<>();
        Task<String> body = Coroutines.async(() -> {
            CompletableFuture<String> receive = channel.receive();
            pending.complete(receive);
            return receive.thenApply(String::trim);
        });
        CompletableFuture<String> receive = pending.get(5, TimeUnit.SECONDS);

        body.cancel(false);

        receive.handle((value, failure) -> null).get(5, TimeUnit.SECONDS);
        assertTrue(receive.isCancelled(), "the receive belonged to the cancelled body");
        assertTrue(channel.trySend("pizza"));
        assertEquals(Optional.of("pizza"), channel.tryReceive(), "no element was swallowed by the dead receive");
    }

    @Test
    void elementsAreReceivedInTheOrderSent() {
        AsyncChannel<Integer> channel = AsyncChannel.buffered(3);
        channel.send(1);
        channel.send(2);
        channel.send(3);

        List<Integer> received = List.of(channel.receive().join(), channel.receive().join(), channel.receive().join());

        assertEquals(List.of(1, 2, 3), received);
    }

    @Test
    void sendAndReceiveThatCanCompleteAtOnceStartNoCoroutine() {
        AsyncChannel<String> channel = AsyncChannel.buffered(1);

        CompletableFuture<Void> sent = channel.send("a");
        CompletableFuture<String> received = channel.receive();

        assertFalse(sent instanceof Task, "an immediate send must not start a coroutine");
        assertFalse(received instanceof Task, "an immediate receive must not start a coroutine");
        assertEquals("a", received.join());
    }

    @Test
    void pendingReceiveCompletesWhenAnElementIsSent() {
        AsyncChannel<String> channel = AsyncChannel.rendezvous();
        CompletableFuture<String> received = channel.receive();

        boolean sent = channel.trySend("x");

        assertTrue(sent);
        assertEquals("x", received.join());
    }

    @Test
    void trySendAndTryReceiveNeverWait() {
        AsyncChannel<String> channel = AsyncChannel.buffered(1);

        boolean first = channel.trySend("a");
        boolean second = channel.trySend("b");
        Optional<String> taken = channel.tryReceive();
        Optional<String> none = channel.tryReceive();

        assertTrue(first);
        assertFalse(second, "the buffer of one is full");
        assertEquals(Optional.of("a"), taken);
        assertEquals(Optional.empty(), none);
    }

    @Test
    void receiveOnAClosedDrainedChannelFailsWithChannelClosedException() {
        AsyncChannel<String> channel = AsyncChannel.buffered(2);
        channel.send("last");
        channel.close();

        String drained = channel.receive().join();
        Throwable failure = failureOf(channel.receive());

        assertEquals("last", drained);
        assertInstanceOf(ChannelClosedException.class, failure);
        assertTrue(channel.isClosedForReceive());
    }

    @Test
    void pendingReceiveFailsWhenTheChannelIsClosed() {
        AsyncChannel<String> channel = AsyncChannel.rendezvous();
        CompletableFuture<String> pending = channel.receive();

        channel.close();

        assertInstanceOf(ChannelClosedException.class, failureOf(pending));
    }

    @Test
    void closeWithACauseFailsReceiversWithThatVeryCause() {
        AsyncChannel<String> channel = AsyncChannel.rendezvous();
        CompletableFuture<String> pending = channel.receive();
        IllegalStateException cause = new IllegalStateException("producer failed");

        channel.close(cause);

        assertSame(cause, failureOf(pending));
        assertSame(cause, failureOf(channel.receive()));
        assertTrue(channel.isClosedForSend());
    }

    @Test
    void sendOnAClosedChannelFails() {
        AsyncChannel<String> channel = AsyncChannel.rendezvous();
        channel.close();

        Throwable failure = failureOf(channel.send("late"));

        assertInstanceOf(ChannelClosedException.class, failure);
    }

    @Test
    void cancelledSendIsNeverDeliveredAndReachesTheUndeliveredHandler() {
        List<String> undelivered = new CopyOnWriteArrayList<>();
        AsyncChannel<String> channel = AsyncChannel.rendezvous(undelivered::add);
        CompletableFuture<Void> send = channel.send("withdrawn");

        send.cancel(true);
        CompletableFuture<String> receive = channel.receive();
        channel.close();

        assertEquals(List.of("withdrawn"), undelivered);
        assertInstanceOf(ChannelClosedException.class, failureOf(receive), "the cancelled element must not be received");
    }

    /**
     * The hand-over of a cancelled receive's element runs on the thread that ends the receive's
     * coroutine, after kotlinx already counts that coroutine as finished; {@code cancelAndJoin}
     * must wait for the hand-over too (the Lincheck test's "lost" element, RELIABILITY.md row 5).
     */
    @Test
    void cancelAndJoinOfAReceiveCompletesOnlyOnceItsTakenElementReachedTheHandler() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch leaveHandler = new CountDownLatch(1);
        CompletableDeferred<String> receiving = CompletableDeferredKt.CompletableDeferred(null);
        Kept<String> kept = new Kept<>();
        kept.keep("taken"); // the receive's body had its element when the cancellation reached it
        Task<String> receive = Task.handingOver(receiving, kept, element -> {
            inHandler.countDown();
            awaitQuietly(leaveHandler);
        });
        Thread canceller = new Thread(() -> receiving.cancel(null), "canceller"); // the hand-over runs here
        canceller.start();
        assertTrue(inHandler.await(10, TimeUnit.SECONDS));

        CompletableFuture<Void> finished = receive.cancelAndJoin();

        assertFalse(finished.isDone(), "the element is still on its way to the handler");
        leaveHandler.countDown();
        finished.get(10, TimeUnit.SECONDS);
        canceller.join();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void cancelHandsTheBufferedElementsToTheUndeliveredHandler() {
        List<String> undelivered = new CopyOnWriteArrayList<>();
        AsyncChannel<String> channel = AsyncChannel.buffered(4, undelivered::add);
        channel.send("a");
        channel.send("b");

        channel.cancel();

        assertEquals(2, undelivered.size());
        assertEquals(Set.of("a", "b"), Set.copyOf(undelivered), "in no particular order");
        assertInstanceOf(ChannelClosedException.class, failureOf(channel.receive()));
    }

    @Test
    void conflatedChannelKeepsTheNewestElementAndHandsOverTheReplacedOne() {
        List<String> undelivered = new CopyOnWriteArrayList<>();
        AsyncChannel<String> channel = AsyncChannel.conflated(undelivered::add);

        channel.send("old");
        channel.send("new");

        assertEquals("new", channel.receive().join());
        assertEquals(List.of("old"), undelivered);
    }

    @Test
    void unlimitedChannelNeverMakesASenderWait() {
        AsyncChannel<Integer> channel = AsyncChannel.unlimited();

        for (int i = 0; i < 1_000; i++) {
            assertTrue(channel.trySend(i));
        }

        assertEquals(0, channel.receive().join());
    }

    @Test
    void fourConsumersAndOneProducerReceiveEachElementExactlyOnce() throws Exception {
        int count = 100_000;
        AsyncChannel<Integer> channel = AsyncChannel.buffered(64);
        Task<Void> producer = Coroutines.asyncBlocking(() -> {
            for (int i = 1; i <= count; i++) {
                Coroutines.await(channel.send(i));
            }
            channel.close();
            return null;
        });
        List<Task<long[]>> consumers = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            consumers.add(Coroutines.asyncBlocking(() -> {
                long[] sumAndCount = new long[2];
                Iterator<Integer> elements = channel.iterator();
                while (elements.hasNext()) {
                    sumAndCount[0] += elements.next();
                    sumAndCount[1]++;
                }
                return sumAndCount;
            }));
        }

        producer.get(60, TimeUnit.SECONDS);
        long sum = 0;
        long received = 0;
        for (Task<long[]> consumer : consumers) {
            long[] sumAndCount = consumer.get(60, TimeUnit.SECONDS);
            sum += sumAndCount[0];
            received += sumAndCount[1];
        }

        assertEquals(count, received);
        assertEquals((long) count * (count + 1) / 2, sum);
    }

    @Test
    void anIteratorParkedOnARendezvousIsHandedTheNextSendAndThenTheEnd() throws Exception {
        AsyncChannel<String> channel = AsyncChannel.rendezvous();
        List<String> received = new CopyOnWriteArrayList<>();
        Thread consumer = new Thread(() -> channel.iterator().forEachRemaining(received::add));
        consumer.start();
        Parked.await(consumer);

        CompletableFuture<Void> sent = channel.send("a");

        sent.get(10, TimeUnit.SECONDS); // a rendezvous send completes once the parked consumer has the element
        channel.close();
        consumer.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(consumer.isAlive(), "the close ended the iteration");
        assertEquals(List.of("a"), received);
    }

    @Test
    void anInterruptEndsAParkedIteratorsWaitWithTheFlagKeptAndLosesNoElement() throws Exception {
        AsyncChannel<String> channel = AsyncChannel.buffered(1);
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        CompletableFuture<Boolean> flagKept = new CompletableFuture<>();
        Thread consumer = new Thread(() -> {
            try {
                channel.iterator().hasNext();
            } catch (Throwable failure) {
                thrown.complete(failure);
            }
            flagKept.complete(Thread.currentThread().isInterrupted());
        });
        consumer.start();
        Parked.await(consumer);

        consumer.interrupt();

        Throwable failure = thrown.get(10, TimeUnit.SECONDS);
        assertInstanceOf(CancellationException.class, failure);
        assertEquals("AsyncChannel.iterator was interrupted", failure.getMessage());
        assertTrue(flagKept.get(10, TimeUnit.SECONDS));
        consumer.join();
        channel.send("a");
        assertEquals("a", channel.receive().get(10, TimeUnit.SECONDS), "the given-up wait took nothing");
    }

    @Test
    void putWaitsForRoomAndTakeWaitsForAnElement() throws Exception {
        AsyncChannel<String> channel = AsyncChannel.buffered(1);
        channel.put("a"); // room: it returns at once

        ParkedCall<Void> full = ParkedCall.start(() -> {
            channel.put("b");
            return null;
        });
        assertFalse(full.done().isDone(), "no room: the put waits");
        assertEquals("a", channel.take());
        full.result();
        assertEquals("b", channel.take());

        ParkedCall<String> empty = ParkedCall.start(channel::take);
        assertFalse(empty.done().isDone(), "nothing there: the take waits");
        channel.put("c");
        assertEquals("c", empty.result());
    }

    @Test
    void aPutParkedOnARendezvousReturnsOnceATakeHasItsElement() throws Exception {
        AsyncChannel<String> channel = AsyncChannel.rendezvous();
        ParkedCall<Void> put = ParkedCall.start(() -> {
            channel.put("a");
            return null;
        });

        assertEquals("a", channel.take());
        put.result();
        assertEquals(Optional.empty(), channel.tryReceive(), "one element, handed over once");
    }

    @Test
    void putOnAClosedChannelThrowsAndHandsTheElementToTheHandler() {
        List<String> undelivered = new CopyOnWriteArrayList<>();
        AsyncChannel<String> channel = AsyncChannel.rendezvous(undelivered::add);
        channel.close();

        assertThrows(ChannelClosedException.class, () -> channel.put("late"));
        assertEquals(List.of("late"), undelivered);
    }

    @Test
    void aPutParkedWhenTheChannelClosesIsStillDeliveredAndAParkedTakeEnds() throws Exception {
        AsyncChannel<String> full = AsyncChannel.buffered(1);
        full.put("first");
        ParkedCall<Void> put = ParkedCall.start(() -> {
            full.put("second");
            return null;
        });
        AsyncChannel<String> empty = AsyncChannel.rendezvous();
        ParkedCall<String> take = ParkedCall.start(empty::take);

        full.close();
        empty.close();

        assertInstanceOf(ChannelClosedException.class, assertThrows(ExecutionException.class, take::result).getCause());
        assertEquals("first", full.take(), "a closed channel is still drained");
        assertEquals("second", full.take(), "a send that waited before the close counts as sent (kotlinx's close)");
        put.result();
        assertThrows(ChannelClosedException.class, full::take);
    }

    @Test
    void putAndTakeThrowTheCloseCauseItselfEvenAChecked() {
        AsyncChannel<String> channel = AsyncChannel.buffered(1);
        IOException cause = new IOException("producer failed");
        channel.close(cause);

        assertSame(cause, assertThrows(IOException.class, () -> channel.put("late")));
        assertSame(cause, assertThrows(IOException.class, channel::take));
    }

    @Test
    void takeFromACancelledChannelThrowsChannelClosedExceptionWithTheCancellation() {
        AsyncChannel<String> channel = AsyncChannel.buffered(1);
        channel.cancel();

        ChannelClosedException closed = assertThrows(ChannelClosedException.class, channel::take);

        assertInstanceOf(CancellationException.class, closed.getCause());
    }

    @ParameterizedTest(name = "buffered: {0}")
    @ValueSource(booleans = {false, true})
    void anInterruptEndsAParkedPutAndTheElementGoesToTheHandler(boolean buffered) throws Exception {
        List<String> undelivered = new CopyOnWriteArrayList<>();
        AsyncChannel<String> channel = buffered ? AsyncChannel.buffered(1, undelivered::add) : AsyncChannel.rendezvous(undelivered::add);
        if (buffered) {
            channel.put("kept"); // full: the next put waits for room, not for a receiver
        }
        ParkedCall<Void> put = ParkedCall.start(() -> {
            channel.put("withdrawn");
            return null;
        });

        put.thread().interrupt();

        assertInstanceOf(InterruptedException.class, assertThrows(ExecutionException.class, put::result).getCause());
        assertFalse(put.flagKept().get(), "thrown as InterruptedException, the flag is cleared");
        assertEquals(List.of("withdrawn"), undelivered);
        assertEquals(buffered ? Optional.of("kept") : Optional.empty(), channel.tryReceive());
        assertEquals(Optional.empty(), channel.tryReceive(), "the withdrawn element is never received");
    }

    @Test
    void anInterruptEndsAParkedTakeThatTakesNothing() throws Exception {
        AsyncChannel<String> channel = AsyncChannel.buffered(1);
        ParkedCall<String> take = ParkedCall.start(channel::take);

        take.thread().interrupt();

        assertInstanceOf(InterruptedException.class, assertThrows(ExecutionException.class, take::result).getCause());
        assertFalse(take.flagKept().get(), "thrown as InterruptedException, the flag is cleared");
        channel.put("a");
        assertEquals("a", channel.take(), "the given-up take took nothing");
    }

    @Test
    void aPutThatNeedNotWaitIgnoresTheInterruptAndKeepsTheFlag() throws Exception {
        AsyncChannel<String> channel = AsyncChannel.buffered(1);
        Thread.currentThread().interrupt();
        try {
            channel.put("a");
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertEquals("a", channel.take());
    }

    @Test
    void putAndTakeAreRefusedOnAThreadThatRunsCoroutines() throws Exception {
        AsyncChannel<String> channel = AsyncChannel.unlimited();

        String refusals = Coroutines.run(scope -> {
            IllegalStateException put = assertThrows(IllegalStateException.class, () -> channel.put("a"));
            IllegalStateException take = assertThrows(IllegalStateException.class, channel::take);
            return CompletableFuture.completedFuture(put.getMessage() + " | " + take.getMessage());
        });

        assertTrue(refusals.startsWith("AsyncChannel.put blocks its thread"), refusals);
        assertTrue(refusals.contains(" | AsyncChannel.take blocks its thread"), refusals);
        assertEquals(Optional.empty(), channel.tryReceive(), "a refused put sends nothing");
    }

    @Test
    void iteratorEndsWhenTheChannelIsClosedAndDrained() {
        AsyncChannel<String> channel = AsyncChannel.buffered(2);
        channel.send("a");
        channel.send("b");
        channel.close();

        List<String> received = new ArrayList<>();
        channel.iterator().forEachRemaining(received::add);

        assertEquals(List.of("a", "b"), received);
    }

    @Test
    void closingAStreamEarlyCancelsTheChannel() {
        AsyncChannel<Integer> channel = AsyncChannel.buffered(8);
        for (int i = 0; i < 8; i++) {
            channel.send(i);
        }

        List<Integer> firstTwo;
        try (Stream<Integer> stream = channel.stream()) {
            firstTwo = stream.limit(2).toList();
        }

        assertEquals(List.of(0, 1), firstTwo);
        assertTrue(channel.isClosedForSend());
        assertInstanceOf(ChannelClosedException.class, failureOf(channel.send(99)));
    }

    @Test
    void publisherDeliversNoMoreThanRequested() throws Exception {
        AsyncChannel<Integer> channel = AsyncChannel.buffered(5);
        for (int i = 0; i < 5; i++) {
            channel.send(i);
        }
        Recorder<Integer> subscriber = new Recorder<>();
        channel.asPublisher().subscribe(subscriber);

        subscriber.subscription.join().request(2);

        assertEquals(List.of(0, 1), subscriber.received);
        assertEquals(Optional.of(2), channel.tryReceive(), "the publisher must not receive ahead of demand");
        subscriber.subscription.join().cancel();
    }

    @Test
    void publisherCompletesWhenTheChannelIsClosed() {
        AsyncChannel<String> channel = AsyncChannel.buffered(1);
        channel.send("only");
        channel.close();
        Recorder<String> subscriber = new Recorder<>();
        channel.asPublisher().subscribe(subscriber);

        subscriber.subscription.join().request(Long.MAX_VALUE);

        assertEquals(List.of("only"), subscriber.received);
        assertTrue(subscriber.completed.isDone());
    }

    @Test
    void publisherRejectsANonPositiveRequest() {
        Recorder<String> subscriber = new Recorder<>();
        AsyncChannel.<String>rendezvous().asPublisher().subscribe(subscriber);

        subscriber.subscription.join().request(0);

        assertInstanceOf(IllegalArgumentException.class, failureOf(subscriber.completed));
    }

    @Test
    void kotlinAndJavaSeeTheSameChannel() {
        Channel<String> kotlin = AsyncChannel.<String>buffered(1).asKotlin();
        AsyncChannel<String> java = AsyncChannel.from(kotlin);

        java.send("shared");

        assertSame(kotlin, java.asKotlin());
        assertEquals("shared", AsyncChannel.from(kotlin).receive().join());
    }

    @Test
    void negativeCapacityIsRejectedWithTheValue() {
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, () -> AsyncChannel.buffered(-1));

        assertEquals("capacity must be >= 0, was -1", failure.getMessage());
    }

    @Test
    void nullArgumentsAreRejectedByName() {
        AsyncChannel<String> channel = AsyncChannel.unlimited();

        assertEquals("element", assertThrows(NullPointerException.class, () -> channel.send(null)).getMessage());
        assertEquals("element", assertThrows(NullPointerException.class, () -> channel.trySend(null)).getMessage());
        assertEquals("element", assertThrows(NullPointerException.class, () -> channel.put(null)).getMessage());
        assertEquals("cause", assertThrows(NullPointerException.class, () -> channel.close(null)).getMessage());
        assertEquals("onUndeliveredElement",
                assertThrows(NullPointerException.class, () -> AsyncChannel.buffered(1, null)).getMessage());
        assertEquals("channel", assertThrows(NullPointerException.class, () -> AsyncChannel.from(null)).getMessage());
    }

    static Throwable failureOf(CompletableFuture<?> future) {
        return future.handle((value, failure) -> failure).join();
    }

    /** A subscriber that records what it is given. */
    static final class Recorder<T> implements Flow.Subscriber<T> {
        final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
        final List<T> received = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> completed = new CompletableFuture<>();
        final AtomicLong signals = new AtomicLong();

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.complete(s);
        }

        @Override
        public void onNext(T item) {
            received.add(item);
            signals.incrementAndGet();
        }

        @Override
        public void onError(Throwable throwable) {
            completed.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            completed.complete(null);
        }
    }
}
