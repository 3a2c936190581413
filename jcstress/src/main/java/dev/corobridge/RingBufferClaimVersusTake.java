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
 * The ring of {@code Generator.of(n, body)} (package-private, hence this package), two slots, both
 * full: {@code forEachReady} (a generator's {@code forEach}) claims what is ready, here the first
 * element (a ring claims one slot short of all), and hands it over outside the lock, while another
 * consumer takes twice. The second take comes round the ring to the first slot, which still holds
 * the claimed element until the claim empties it; the take must leave it to the claim, which
 * records that it has handed the element over only after emptying the slot. Each element is taken
 * once, by one consumer.
 *
 * <p>r1: what the claim handed over (-1 nothing); r2 and r3: the two takes; r4: a take after both
 * sides returned (-1 nothing).
 */
@JCStressTest
@Description("Ring buffer: a take that comes round the ring to a slot forEachReady claimed races the claim's hand-over")
@Outcome(id = "1, 2, -1, -1", expect = ACCEPTABLE, desc = "The claim took the first element; the second take found its slot claimed or emptied.")
@Outcome(id = "2, 1, -1, -1", expect = ACCEPTABLE, desc = "The first take came before the claim, which took the second element.")
@Outcome(id = "-1, 1, 2, -1", expect = ACCEPTABLE, desc = "Both takes came before the claim, which found nothing ready.")
@State
public class RingBufferClaimVersusTake {
    private final RingBuffer<Integer> ring = new RingBuffer<>(2);

    public RingBufferClaimVersusTake() {
        Rings.put(ring, 1);
        Rings.put(ring, 2);
    }

    @Actor
    public void claim(IIII_Result result) {
        result.r1 = -1;
        int handed = ring.forEachReady(element -> result.r1 = element, () -> false);
        if (handed != (result.r1 == -1 ? 0 : 1)) {
            result.r1 = -100 - handed; // a count that disagrees with what the action saw
        }
    }

    @Actor
    public void take(IIII_Result result) {
        result.r2 = Rings.taken(ring.poll());
        result.r3 = Rings.taken(ring.poll());
    }

    @Arbiter
    public void outcome(IIII_Result result) {
        result.r4 = Rings.taken(ring.poll());
    }
}
