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
 * array: the put links a new array (a release store of the link, after which the element goes into
 * the new array's first slot, with a release store of its own) while a take looks at the place of
 * the link. The take may find no link, a link to an array whose slot is still empty, or the
 * element; whatever it finds, the element is taken once, by it or by the take after both.
 *
 * <p>r1: what the racing take got (-1 nothing); r2: what a take after both got.
 */
@JCStressTest
@Description("Unbounded ring: a put that links a new array races a take at the link; the element is taken once")
@Outcome(id = "1, -1", expect = ACCEPTABLE, desc = "The take followed the link and found the element.")
@Outcome(id = "-1, 1", expect = ACCEPTABLE, desc = "The take came too early (no link, or an empty slot past it); the element waited for the next take.")
@State
public class UnboundedRingPutAcrossALinkVersusTake {
    private final RingBuffer<Integer> ring = Rings.unboundedAtTheEndOfAnArray();

    @Actor
    public void put() {
        Rings.put(ring, 1);
    }

    @Actor
    public void take(II_Result result) {
        result.r1 = Rings.taken(ring.poll());
    }

    @Arbiter
    public void outcome(II_Result result) {
        result.r2 = Rings.taken(ring.poll());
    }
}
