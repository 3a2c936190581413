package dev.corobridge;

import static dev.corobridge.AsyncChannelTest.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.NoLeaks;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class ReceiverTest {

    @Test
    void tokensStreamFromAGeneratorToAReceiverAsInSeed003() {
        List<String> printed = new CopyOnWriteArrayList<>();
        Generator<String> llm = Generator.of(yielder -> {
            for (String token : List.of("Tokens-", "are", "streamed")) {
                yielder.yield(token);
            }
        });
        Receiver<String> response = Receiver.of(inbox -> {
            while (true) {
                printed.add(inbox.receive());
            }
        });

        for (String token : (Iterable<String>) llm::iterator) {
            response.send(token).join();
        }
        response.close();

        assertEquals(List.of("Tokens-", "are", "streamed"), printed);
    }

    @Test
    void sendCompletesOnlyOnceTheBodyHasTakenTheValue() {
        CompletableFuture<Void> bodyMayTake = new CompletableFuture<>();
        List<String> taken = new CopyOnWriteArrayList<>();
        Receiver<String> receiver = Receiver.of(inbox -> {
            Coroutines.await(bodyMayTake);
            taken.add(inbox.receive());
        });

        CompletableFuture<Void> sent = receiver.send("value");
        boolean doneBeforeTaking = sent.isDone();
        bodyMayTake.complete(null);
        sent.join();

        assertFalse(doneBeforeTaking);
        assertEquals(List.of("value"), taken);
        receiver.close();
    }

    @Test
    void sendAfterTheBodyReturnedFailsWithChannelClosedException() {
        Receiver<String> receiver = Receiver.of(inbox -> inbox.receive());
        receiver.send("only").join();

        Throwable failure = failureOf(receiver.send("too many"));

        assertInstanceOf(ChannelClosedException.class, failure);
        receiver.close();
    }

    @Test
    void sendAfterTheBodyFailedFailsWithTheOriginalException() {
        IllegalStateException boom = new IllegalStateException("cannot print");
        Receiver<String> receiver = Receiver.of(inbox -> {
            inbox.receive();
            throw boom;
        });
        Throwable handlingFirst = failureOf(receiver.send("first"));

        Throwable failure = failureOf(receiver.send("second"));

        assertSame(boom, handlingFirst);
        assertSame(boom, failure);
        receiver.close();
    }

    @Test
    void closeInterruptsTheWaitingBodyAndRunsItsFinally() {
        AtomicBoolean finallyRan = new AtomicBoolean();
        Receiver<String> receiver = Receiver.of(inbox -> {
            try {
                while (true) {
                    inbox.receive();
                }
            } finally {
                finallyRan.set(true);
            }
        });
        receiver.send("one").join();

        receiver.close();

        assertTrue(finallyRan.get());
        assertInstanceOf(ChannelClosedException.class, failureOf(receiver.send("late")));
    }

    @Test
    void theBodyClosingItsOwnReceiverDoesNotWaitForItself() throws Exception {
        CompletableFuture<Receiver<String>> self = new CompletableFuture<>();
        Receiver<String> receiver = Receiver.of(inbox -> {
            if (inbox.receive().equals("stop")) {
                self.join().close();
            }
        });
        self.complete(receiver);

        receiver.send("stop").get(5, java.util.concurrent.TimeUnit.SECONDS);

        assertInstanceOf(ChannelClosedException.class, failureOf(receiver.send("late")));
    }

    @Test
    void aReceiverOutlivesTheFailedTaskThatSentItsFirstValue() throws Exception {
        List<String> handled = new CopyOnWriteArrayList<>();
        try (Receiver<String> printer = Receiver.of(inbox -> {
            while (true) {
                handled.add(inbox.receive());
            }
        })) {
            IllegalStateException failure = new IllegalStateException("the sender failed after its send");
            Task<Void> sender = Coroutines.async(() -> printer.send("a")
                    .thenCompose(sent -> CompletableFuture.<Void>failedFuture(failure)));

            assertSame(failure, failureOf(sender));
            printer.send("b").get(10, TimeUnit.SECONDS);

            assertEquals(List.of("a", "b"), handled, "the receiver is its own, not the first sender's");
        }
    }

    @Test
    void aReceiverStartedInsideRunIsEndedWhenRunReturnsAndLaterSendsSaySo() throws Exception {
        AtomicBoolean finallyRan = new AtomicBoolean();
        AtomicReference<Receiver<String>> started = new AtomicReference<>();

        Coroutines.run(scope -> {
            started.set(Receiver.of(inbox -> {
                try {
                    while (true) {
                        inbox.receive();
                    }
                } finally {
                    finallyRan.set(true);
                }
            }));
            return started.get().send("inside");
        });
        boolean finallyRanWhenRunReturned = finallyRan.get();
        try (Receiver<String> printer = started.get()) {
            Throwable late = failureOf(printer.send("late"));

            assertTrue(finallyRanWhenRunReturned, "run returns after the body's finally block");
            assertInstanceOf(ChannelClosedException.class, late, "not the interrupt that ended the body");
            assertEquals("the receiver was cancelled with the loop it started on", late.getMessage());
        }
    }

    @Test
    void nullIsRejectedByName() {
        Receiver<String> receiver = Receiver.of(inbox -> { });

        assertEquals("value", assertThrows(NullPointerException.class, () -> receiver.send(null)).getMessage());
        assertEquals("body", assertThrows(NullPointerException.class, () -> Receiver.of(null)).getMessage());
        receiver.close();
    }
}
