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
 * The unbounded ring of {@code Generator.of(Integer.MAX_VALUE, body)}, at the end of its first
 * array: the put links a new array while the consumer's cancel ({@code Generator.close()})
 * empties the arrays and cuts their links. Whatever the order, once the producer has ended (its
 * {@code close}) the consumer gets the end and nothing else.
 *
 * <p>r1: the put (1 put, 0 refused as cancelled); r2: what a take after both, and the producer's
 * close, gave (-2 the end).
 */
@JCStressTest
@Description("Unbounded ring: a put that links a new array races cancel(); afterwards the consumer sees only the end")
@Outcome(id = "1, -2", expect = ACCEPTABLE, desc = "The put came first (or missed the cancel): the cancel, or the producer's close, dropped the element.")
@Outcome(id = "0, -2", expect = ACCEPTABLE, desc = "The cancel came first: the put was refused.")
@State
public class UnboundedRingPutAcrossALinkVersusCancel {
    private final RingBuffer<Integer> ring = Rings.unboundedAtTheEndOfAnArray();

    @Actor
    public void put(II_Result result) {
        result.r1 = Rings.put(ring, 1) ? 1 : 0;
    }

    @Actor
    public void cancel() {
        ring.cancel();
    }

    @Arbiter
    public void outcome(II_Result result) {
        ring.close(null);
        result.r2 = Rings.taken(ring.poll());
    }
}
