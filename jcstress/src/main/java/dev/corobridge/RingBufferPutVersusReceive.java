package dev.corobridge;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The ring of {@code Generator.of(n, body)} (package-private, hence this package): a put races a
 * receive that finds the ring empty and goes to sleep. Neither side fences between its own write
 * and its look at the other, so both can miss each other (the store-buffer race); the sleeping
 * receive then looks again on its own after 50 µs. The arbiter first notes whether the receive
 * was already served when both sides had returned, then waits up to 10 s for its element.
 *
 * <p>r1: 1 served by one of the two sides, 0 not yet (both missed each other, so only the receive's
 * own second look can serve it); r2: the element received (1), or -1 if it never came. An element
 * that never comes is unlisted, and jcstress reports it as a failure.
 */
@JCStressTest
@Description("Ring buffer: put() races a receive() going to sleep on the empty ring; the element always reaches the receive")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "One side saw the other: the put served the waiting receive, or the receive found the element.")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "Each missed the other's write (the store-buffer race); the receive's own look 50 µs later served it.")
@State
public class RingBufferPutVersusReceive {
    private final RingBuffer<Integer> ring = new RingBuffer<>(2);
    private volatile CompletableFuture<Optional<Integer>> received = new CompletableFuture<>();

    @Actor
    public void put() {
        Rings.put(ring, 1);
    }

    @Actor
    public void receive() {
        received = ring.receive(false);
    }

    @Arbiter
    public void outcome(II_Result result) {
        CompletableFuture<Optional<Integer>> element = received;
        result.r1 = element.isDone() ? 1 : 0;
        try {
            result.r2 = element.get(10, TimeUnit.SECONDS).orElse(-2);
        } catch (Exception never) {
            result.r2 = -1;
        }
    }
}
