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
 * Two rings whose producer stands at the end of an array, with every slot before it emptied: the
 * unbounded ring of {@code Generator.of(Integer.MAX_VALUE, body)} at the end of its first array,
 * and a bounded ring of two arrays (257 slots) at the end of its last one. The put links the next
 * array (a new one, or the bounded ring's first) with a release store, and then puts the element
 * into its first slot with a release store of its own, while a take looks at the place of the
 * link. The take may find no link, a link to an array whose slot is still empty, or the element;
 * whatever it finds, the element is taken once, by it or by the take after both.
 *
 * <p>r1: what the racing take on the unbounded ring got (-1 nothing); r2: what a take after both
 * got; r3 and r4 the same for the bounded ring.
 */
@JCStressTest
@Description("A put that links the next array races a take at the link; the element is taken once")
@Outcome(id = {"1, -1, 1, -1", "1, -1, -1, 1", "-1, 1, 1, -1", "-1, 1, -1, 1"}, expect = ACCEPTABLE,
        desc = "On each ring, the take followed the link and found the element, or came too early"
                + " (no link, or an empty slot past it) and the element waited for the next take.")
@State
public class RingPutAcrossALinkVersusTake {
    private final RingBuffer<Integer> unbounded = Rings.unboundedAtTheEndOfAnArray();
    private final RingBuffer<Integer> bounded = Rings.boundedAtTheEndOfItsLastArray();

    @Actor
    public void put() {
        Rings.put(unbounded, 1);
        Rings.put(bounded, 1);
    }

    @Actor
    public void take(IIII_Result result) {
        result.r1 = Rings.taken(unbounded.poll());
        result.r3 = Rings.taken(bounded.poll());
    }

    @Arbiter
    public void outcome(IIII_Result result) {
        result.r2 = Rings.taken(unbounded.poll());
        result.r4 = Rings.taken(bounded.poll());
    }
}
