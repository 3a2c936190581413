package dev.corobridge.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;

import dev.corobridge.AsyncChannel;
import dev.corobridge.ChannelClosedException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * {@code AsyncChannel}: {@code close()} races a {@code send} into a buffered channel with room.
 * The send either goes in before the close, and the element is then received after it, or finds
 * the channel closed, fails with {@link ChannelClosedException} and hands its element to the
 * undelivered-element handler. Neither step needs to wait, so both run on the actors' threads.
 *
 * <p>r1: the send (1 completed, 2 failed with {@code ChannelClosedException}); r2: elements
 * received after both actors; r3: elements given to the handler. An element lost (sent, never
 * received nor handed over) or counted twice is unlisted, and jcstress reports it as a failure.
 */
@JCStressTest
@Description("AsyncChannel: close() races send(); the element is received or handed to the handler, never lost")
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "The send went in before the close: the element is received after it.")
@Outcome(id = "2, 0, 1", expect = ACCEPTABLE, desc = "The close came first: the send failed with ChannelClosedException and its element went to the undelivered-element handler.")
@State
public class ChannelCloseVersusSend {
    private final AtomicInteger handedOver = new AtomicInteger();
    private final AsyncChannel<Integer> channel;
    private CompletableFuture<Void> sent;

    public ChannelCloseVersusSend() {
        AtomicInteger undelivered = handedOver;
        channel = AsyncChannel.buffered(1, element -> undelivered.incrementAndGet());
    }

    @Actor
    public void send() {
        sent = channel.send(7);
    }

    @Actor
    public void close() {
        channel.close();
    }

    @Arbiter
    public void outcome(III_Result result) {
        result.r1 = sendOutcome(sent);
        int received = 0;
        while (channel.tryReceive().isPresent()) {
            received++;
        }
        result.r2 = received;
        result.r3 = handedOver.get();
    }

    private static int sendOutcome(CompletableFuture<Void> sent) {
        if (!sent.isDone()) {
            return 0;
        }
        try {
            sent.join();
            return 1;
        } catch (CompletionException failure) {
            return failure.getCause() instanceof ChannelClosedException ? 2 : 3;
        } catch (CancellationException cancelled) {
            return 3;
        }
    }
}
