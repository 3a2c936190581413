package dev.corobridge;

import dev.corobridge.testing.InlineLoop;
import dev.corobridge.testing.Linearizability;
import dev.corobridge.testing.NoLeaks;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Checks that a buffered {@link AsyncChannel} is linearizable: sends and receives (done at once,
 * or given up by cancelling), {@code trySend}, {@code tryReceive} and {@code close} match some
 * sequential order in which every element is received at most once and in order.
 *
 * <p>A given-up wait is not always a no-op, and the operations report what really happened, as
 * the channel's Javadoc describes it. A cancelled {@code send} may find its element already taken:
 * it counts as sent unless the undelivered-element handler received it during the cancel. A
 * cancelled {@code receive} may already hold an element, which then goes to the handler; the
 * receive counts as having received it. It waits with {@link Task#cancelAndJoin()}, which for a
 * receive completes only once that hand-over is over (the hand-over may run on the sending thread).
 * Telling that hand-over apart from a send that found the channel closed needs to know which send
 * the element came from, so all sends run on one scenario thread and all receives on another
 * ({@code nonParallelGroup}).
 *
 * <p>{@code close} runs on the producer's thread. From a third thread it could close the channel
 * while a send waits; kotlinx then still delivers that send's element once a receiver makes room
 * (it was sent before the close), so the send takes effect after the close. An operation that
 * waits or gives up within one step cannot be placed in that order; Lincheck's suspension model
 * (Kotlin {@code suspend} operations) would be needed. The close-versus-send race is covered by the
 * jcstress test {@code ChannelCloseVersusSend} and by {@link ConservationTest}.
 * {@link AsyncChannel#cancel()} is left out: it drops the buffer by design.
 *
 * <p>The stress run is part of every build; the model-checking run only with
 * {@code -Dcorobridge.lincheck.modelChecking=true}. Waits resume on an unconfined loop
 * ({@link InlineLoop}), so that every step runs on the scenario's own threads.
 */
@ExtendWith(NoLeaks.class)
@Param(name = "element", gen = IntGen.class, conf = "1:3")
public class AsyncChannelLincheckTest {
    /** An element with what its send knows about it; compared by identity, so equal values stay apart. */
    private static final class Item {
        static final int SENDING = 0;
        static final int CANCELLING = 1;
        static final int SENT = 2;
        static final int NOT_SENT = 3;

        final int value;
        volatile int phase = SENDING;
        volatile boolean withdrawn;

        Item(int value) {
            this.value = value;
        }
    }

    private final AsyncChannel<Item> channel = AsyncChannel.buffered(1, this::undelivered);

    /** Elements the handler received outside a cancelling send: sends to a closed channel, and cancelled receives' elements. */
    private final Queue<Item> handedOver = new ConcurrentLinkedQueue<>();

    private void undelivered(Item item) {
        if (item.phase == Item.CANCELLING) {
            item.withdrawn = true;
        } else {
            handedOver.add(item);
        }
    }

    @Operation(nonParallelGroup = "producer")
    public String trySend(@Param(name = "element") int value) {
        Item item = new Item(value);
        return InlineLoop.call(() -> {
            boolean taken = channel.trySend(item);
            item.phase = taken ? Item.SENT : Item.NOT_SENT;
            return taken ? "sent" : "refused";
        });
    }

    /** Sends, or gives up the wait at once by cancelling it; reports whether the element went in. */
    @Operation(nonParallelGroup = "producer")
    public String sendOrCancel(@Param(name = "element") int value) {
        Item item = new Item(value);
        return InlineLoop.call(() -> {
            CompletableFuture<Void> sent = channel.send(item);
            if (!sent.isDone()) {
                item.phase = Item.CANCELLING;
                sent.cancel(false);
            }
            String outcome;
            if (sent.isCompletedExceptionally() && !sent.isCancelled()) {
                outcome = "closed";
            } else {
                outcome = item.withdrawn ? "withdrawn" : "sent";
            }
            item.phase = outcome.equals("sent") ? Item.SENT : Item.NOT_SENT;
            return outcome;
        });
    }

    /** Receives, or gives up the wait at once by cancelling it; an element it already held counts as received. */
    @Operation(nonParallelGroup = "consumer")
    public String receiveOrCancel() {
        return InlineLoop.call(() -> {
            CompletableFuture<Item> received = channel.receive();
            if (!received.isDone()) {
                CompletableFuture<Void> finished = ((Task<Item>) received).cancelAndJoin();
                while (!finished.isDone()) {
                    Thread.onSpinWait(); // a send on another thread is still completing this receive
                }
            }
            if (!received.isCancelled()) {
                return received.isCompletedExceptionally() ? "closed" : "got " + received.join().value;
            }
            Item heldWhenCancelled = takeHandedOverSentElement();
            return heldWhenCancelled == null ? "cancelled" : "got " + heldWhenCancelled.value;
        });
    }

    @Operation(nonParallelGroup = "consumer")
    public String tryReceive() {
        return InlineLoop.call(() -> channel.tryReceive().map(item -> "got " + item.value).orElse("empty"));
    }

    /** Closes from the producer's thread, as producers do; see the class description for why not from anywhere. */
    @Operation(nonParallelGroup = "producer")
    public boolean close() {
        return InlineLoop.run(channel::close);
    }

    /**
     * Returns the element a cancelled receive held, if any: among the elements handed over, the
     * one whose send succeeded (the others were sends to a closed channel). Its send may still be
     * returning on the producer thread, so its phase is awaited.
     */
    private Item takeHandedOverSentElement() {
        for (Item item = handedOver.poll(); item != null; item = handedOver.poll()) {
            while (item.phase == Item.SENDING || item.phase == Item.CANCELLING) {
                Thread.onSpinWait();
            }
            if (item.phase == Item.SENT) {
                return item;
            }
        }
        return null;
    }

    /** Explores interleavings exhaustively; slow, so run on request, see the class description. */
    @Test
    @EnabledIfSystemProperty(named = "corobridge.lincheck.modelChecking", matches = "true")
    void isLinearizableUnderModelChecking() {
        Linearizability.checkByModelChecking(getClass());
    }

    @Test
    void isLinearizableUnderStress() {
        Linearizability.checkUnderStress(getClass());
    }
}
