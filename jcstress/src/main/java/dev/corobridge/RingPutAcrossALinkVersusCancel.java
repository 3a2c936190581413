package dev.corobridge;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * The two rings of {@link RingPutAcrossALinkVersusTake}, each with its producer at the end of an
 * array: the put links the next array while the consumer's cancel ({@code Generator.close()})
 * empties the arrays (and cuts the unbounded ring's links). Whatever the order, once the producer
 * has ended (its {@code close}) the consumer gets the end and nothing else.
 *
 * <p>r1: the put into the unbounded ring (1 put, 0 refused as cancelled); r2: what a take after
 * both, and the producer's close, gave (-2 the end); r3 and r4 the same for the bounded ring.
 */
@JCStressTest
@Description("A put that links the next array races cancel(); afterwards the consumer sees only the end")
@Outcome(id = {"1, -2, 1, -2", "1, -2, 0, -2", "0, -2, 1, -2", "0, -2, 0, -2"}, expect = ACCEPTABLE,
        desc = "On each ring, the put came first (or missed the cancel), and the cancel or the producer's"
                + " close dropped the element; or the cancel came first and the put was refused.")
@State
public class RingPutAcrossALinkVersusCancel {
    private final RingBuffer<Integer> unbounded = Rings.unboundedAtTheEndOfAnArray();
    private final RingBuffer<Integer> bounded = Rings.boundedAtTheEndOfItsLastArray();

    @Actor
    public void put(IIII_Result result) {
        result.r1 = Rings.put(unbounded, 1) ? 1 : 0;
        result.r3 = Rings.put(bounded, 1) ? 1 : 0;
    }

    @Actor
    public void cancel() {
        unbounded.cancel();
        bounded.cancel();
    }

    @Arbiter
    public void outcome(IIII_Result result) {
        unbounded.close(null);
        result.r2 = Rings.taken(unbounded.poll());
        bounded.close(null);
        result.r4 = Rings.taken(bounded.poll());
    }
}
