package dev.corobridge;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The ring of {@code Generator.of(n, body)} (package-private, hence this package), empty: a put
 * races a blocking consumer that parks for its element (the part of {@code takeWaiting} after the
 * spin, called directly so that the put meets the parking itself). The consumer names itself in a
 * field and then looks at the slot; the put writes the slot with a release store and then reads
 * the field, so the two can miss each other, and the consumer then looks again on its own after
 * 50 µs. It always gets the element, and only once.
 *
 * <p>r1: what the parked take got (-1 nothing, -2 the end); r2: what a poll after both sides
 * returned got.
 */
@JCStressTest
@Description("Ring buffer: a put races a consumer parking on the empty ring; the consumer gets the element, once")
@Outcome(id = "1, -1", expect = ACCEPTABLE, desc = "The consumer got the element (found it, was unparked, or looked again), and it was not left in the ring.")
@State
public class RingBufferPutVersusParkedTake {
    private final RingBuffer<Integer> ring = new RingBuffer<>(2);

    @Actor
    public void put() {
        Rings.put(ring, 1);
    }

    @Actor
    public void take(II_Result result) {
        result.r1 = Rings.taken(ring.takeParked());
    }

    @Arbiter
    public void outcome(II_Result result) {
        result.r2 = Rings.taken(ring.poll());
    }
}
