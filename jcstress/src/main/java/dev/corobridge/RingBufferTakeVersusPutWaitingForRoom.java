package dev.corobridge;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;

import java.util.Optional;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The ring of {@code Generator.of(n, body)} (package-private, hence this package), full: a put that
 * must wait for room races the take that makes it. The producer spins, then parks; the take empties
 * the slot with a release store and then looks for a parked producer, so the two can miss each other
 * and the producer then looks again on its own after 50 µs. Every element is taken once, in order.
 *
 * <p>r1: what the take got; r2 and r3: what two polls after both sides returned got (-1 nothing).
 */
@JCStressTest
@Description("Ring buffer: a take races a put waiting for room in the full ring; each element once, in order")
@Outcome(id = "1, 2, -1", expect = ACCEPTABLE, desc = "The take got the first element; the waiting put then landed the second.")
@State
public class RingBufferTakeVersusPutWaitingForRoom {
    private final RingBuffer<Integer> ring = new RingBuffer<>(1);

    public RingBufferTakeVersusPutWaitingForRoom() {
        Rings.put(ring, 1);
    }

    @Actor
    public void put() {
        Rings.put(ring, 2);
    }

    @Actor
    public void take(III_Result result) {
        Optional<Integer> taken = ring.pollSpinning();
        result.r1 = taken == null ? -1 : taken.orElse(-2);
    }

    @Arbiter
    public void outcome(III_Result result) {
        result.r2 = Rings.taken(ring.poll());
        result.r3 = Rings.taken(ring.poll());
    }
}
