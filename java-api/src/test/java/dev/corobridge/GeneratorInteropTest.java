package dev.corobridge;

import static dev.corobridge.AsyncChannelTest.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.NoLeaks;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import kotlinx.coroutines.channels.Channel;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowKt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class GeneratorInteropTest {

    /** An endless source that counts how many elements were pulled from it. */
    private static Iterable<Integer> naturals(AtomicInteger pulled, IllegalStateException failAt3) {
        return () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                int n = pulled.getAndIncrement();
                if (failAt3 != null && n == 3) {
                    throw failAt3;
                }
                return n;
            }
        };
    }

    @Test
    void generatorFromAFlowCollectsItLazilyAndStopsOnClose() {
        AtomicInteger pulled = new AtomicInteger();
        Flow<Integer> flow = FlowKt.asFlow(naturals(pulled, null));
        Generator<Integer> generator = Generator.from(flow);
        assertEquals(0, pulled.get(), "nothing is collected before the first element is asked for");

        List<Optional<Integer>> firstThree = List.of(generator.next().join(), generator.next().join(), generator.next().join());
        generator.close();
        int pulledAtClose = pulled.get();

        assertEquals(List.of(Optional.of(0), Optional.of(1), Optional.of(2)), firstThree);
        assertTrue(pulledAtClose <= 4, "pulled " + pulledAtClose + " for 3 consumed");
        assertEquals(Optional.empty(), generator.next().join());
        assertEquals(pulledAtClose, pulled.get(), "the collection is cancelled by close");
    }

    @Test
    void aFlowsFailureReachesTheConsumerAsTheOriginalException() {
        IllegalStateException failure = new IllegalStateException("source broke");
        Generator<Integer> generator = Generator.from(FlowKt.asFlow(naturals(new AtomicInteger(), failure)));

        List<Integer> before = List.of(generator.next().join().orElseThrow(), generator.next().join().orElseThrow(),
                generator.next().join().orElseThrow());
        Throwable seen = failureOf(generator.next());

        assertEquals(List.of(0, 1, 2), before);
        assertSame(failure, seen);
        generator.close();
    }

    @Test
    void toFlowIsConsumedByKotlinCode() throws Exception {
        Generator<String> generator = Generator.of(yielder -> {
            yielder.yield("a");
            yielder.yield("b");
            yielder.yield("c");
        });
        Flow<String> flow = generator.toFlow();

        List<? extends String> collected = Coroutines.<List<? extends String>>call(c -> FlowKt.toList(flow, new ArrayList<String>(), c))
                .get(10, TimeUnit.SECONDS);

        assertEquals(List.of("a", "b", "c"), collected);
    }

    @Test
    void kotlinTakingPartOfTheFlowClosesTheGenerator() throws Exception {
        AtomicInteger produced = new AtomicInteger();
        java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
        Generator<Integer> generator = Generator.of(yielder -> {
            try {
                for (int i = 0; ; i++) {
                    produced.incrementAndGet();
                    yielder.yield(i);
                }
            } finally {
                finished.countDown();
            }
        });

        Flow<Integer> firstTwoOnly = FlowKt.take(generator.toFlow(), 2);
        List<? extends Integer> firstTwo = Coroutines.<List<? extends Integer>>call(
                c -> FlowKt.toList(firstTwoOnly, new ArrayList<Integer>(), c))
                .get(10, TimeUnit.SECONDS);

        assertEquals(List.of(0, 1), firstTwo);
        assertTrue(finished.await(10, TimeUnit.SECONDS), "the producer must be closed when Kotlin stops collecting");
        assertTrue(produced.get() <= 3);
    }

    @Test
    void generatorFromAKotlinChannelReceivesUntilItIsClosed() {
        Channel<String> channel = AsyncChannel.<String>unlimited().asKotlin();
        AsyncChannel<String> sender = AsyncChannel.from(channel);
        sender.send("x");
        sender.send("y");
        sender.close();

        List<String> received = Generator.from(channel).toList().join();

        assertEquals(List.of("x", "y"), received);
    }

    @Test
    void closingAGeneratorOfAKotlinChannelCancelsTheChannel() {
        AsyncChannel<String> channel = AsyncChannel.unlimited();
        channel.send("unread");

        Generator.from(channel.asKotlin()).close();

        assertTrue(channel.isClosedForSend());
        assertTrue(channel.isClosedForReceive());
    }
}
