package dev.corobridge;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;

import java.util.Optional;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The ring of {@code Generator.of(n, body)} (package-private, hence this package): the producer's
 * put races the consumer's cancel ({@code Generator.close()}). Whatever the order, the consumer
 * gets the end and nothing else once the cancel has returned, and a put told "put" (true) is one
 * the cancel dropped; the producer then ends, and its {@code close} changes nothing.
 *
 * <p>r1: the put (1 put, 0 refused as cancelled); r2: what a take after both gives (0 the end).
 */
@JCStressTest
@Description("Ring buffer: put() races cancel(); after the cancel the consumer sees only the end")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "The put came first (or missed the cancel): the cancel dropped the element.")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "The cancel came first: the put was refused.")
@State
public class RingBufferPutVersusCancel {
    private final RingBuffer<Integer> ring = new RingBuffer<>(1);

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
        Optional<Integer> taken = ring.poll();
        result.r2 = taken == null ? -1 : taken.orElse(0);
    }
}
