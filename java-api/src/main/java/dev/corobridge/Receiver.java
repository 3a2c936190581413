package dev.corobridge;

import dev.corobridge.bridge.BlockingBody;
import dev.corobridge.bridge.Origin;
import dev.corobridge.bridge.Stages;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A coroutine that only takes values: the "receiver" of seed 003, Python's
 * {@code def receiver(): while True: value = yield; ...} driven with {@code send(value)}.
 *
 * <pre>{@code
 * Receiver<String> printer = Receiver.of(inbox -> {
 *     while (true) {
 *         String token = inbox.receive();   // Python: value = yield
 *         System.out.print(token);
 *     }
 * });
 * for (String token : tokens) {
 *     printer.send(token).join();           // Python: res.send(token)
 * }
 * printer.close();
 * }</pre>
 *
 * <p>The body is a blocking body (a virtual thread on JDK 21+), started by the first
 * {@link #send} (Python needs a priming {@code next(res)} for that; here it is implicit). As with
 * Python's {@code send}, each value is handed over directly and {@code send}'s future completes
 * once the body has handled it: it came back to {@code receive()} for the next value, or ended.
 * When the body returns, later sends fail with {@link ChannelClosedException} (Python's
 * {@code StopIteration}); when it throws, the send it was handling and the later ones fail with
 * that original exception.
 *
 * <p>The body belongs to the receiver, not to the task whose send started it: that task ending
 * cancelled or failed does not stop it; {@link #close()} does, and so does the end of the running
 * loop of that first send: when {@link Coroutines#run} returns, a body it started has been
 * cancelled and its {@code finally} blocks have run, and later sends fail with
 * {@link ChannelClosedException}.
 *
 * <p>Thread-safe: any thread may send; values are taken in the order the sends began. For a
 * generator whose {@code yield} both hands out an element and takes a value back, see
 * {@link TwoWayGenerator}.
 *
 * @param <T> the type of the values
 * @since 0.1
 */
public final class Receiver<T> implements AutoCloseable {
    /**
     * The body of a receiver.
     *
     * @param <T> the type of the values
     */
    @FunctionalInterface
    public interface Body<T> {
        /**
         * Takes values from {@code inbox} until it returns.
         *
         * @param inbox gives the values sent, one at a time
         * @throws Exception any failure; later sends fail with it as it is
         */
        void run(Inbox<T> inbox) throws Exception;
    }

    /**
     * Where a receiver's body takes the values sent to it: Python's {@code value = yield}.
     *
     * @param <T> the type of the values
     */
    @FunctionalInterface
    public interface Inbox<T> {
        /**
         * Blocks until a value is sent and returns it.
         *
         * @return the value
         * @throws InterruptedException if the receiver was closed: let it propagate, so that the
         *     body's {@code finally} blocks run
         */
        T receive() throws InterruptedException;
    }

    /** A value sent, and the future of the body having handled it (come back for the next value, or ended). */
    private record Delivery<T>(T value, CompletableFuture<Void> handled) { }

    private final AsyncChannel<Delivery<T>> inbox = AsyncChannel.rendezvous();
    private final Body<T> body;
    private @Nullable Delivery<T> current;
    private final BlockingBody<Void> blocking = new BlockingBody<>(this::run);
    private @Nullable Task<Void> task;
    private volatile @Nullable Thread bodyThread;
    private boolean closed;

    private Receiver(Body<T> body) {
        this.body = body;
    }

    /**
     * Creates a receiver; its body starts on the first {@link #send}.
     *
     * @param body the receiving body, a blocking body
     * @param <T> the type of the values
     * @return a new receiver; close it when done sending
     */
    public static <T> Receiver<T> of(Body<T> body) {
        return new Receiver<>(Objects.requireNonNull(body, "body"));
    }

    /**
     * Sends {@code value} to the body: Python's {@code receiver.send(value)}.
     *
     * <p>Cancelling the future before the body has taken the value withdraws it.
     *
     * @param value the value
     * @return a future completing with {@code null} once the body has handled the value; it fails
     *     with {@link ChannelClosedException} if the receiver is closed or its body returned, or
     *     with the body's original exception if it failed
     * @throws NullPointerException if {@code value} is {@code null}
     */
    public CompletableFuture<Void> send(T value) {
        Objects.requireNonNull(value, "value");
        start();
        Delivery<T> delivery = new Delivery<>(value, new CompletableFuture<>());
        CompletableFuture<Void> taken = inbox.send(delivery);
        CompletableFuture<Void> handled = new CompletableFuture<>();
        taken.whenComplete((ignored, failure) -> {
            if (failure != null) {
                Stages.settle(handled, null, failure);
            } else {
                delivery.handled().whenComplete((nothing, failed) -> Stages.settle(handled, nothing, failed));
            }
        });
        handled.whenComplete((ignored, failure) -> {
            if (handled.isCancelled()) {
                taken.cancel(false);
            }
        });
        return handled;
    }

    private synchronized void start() {
        if (task != null || closed) {
            return;
        }
        task = Task.of(Origin.ofObject().blocking(blocking), blocking); // the receiver's, whoever sent first
    }

    private @Nullable Void run() {
        bodyThread = Thread.currentThread();
        try {
            body.run(this::receive);
            inbox.close();
            handled(null);
        } catch (Throwable failure) {
            Throwable reported = failure;
            if (isClosed()) {
                reported = new ChannelClosedException("the receiver was closed", null);
            } else if (blocking.getInterruptedByCancellation()) {
                reported = new ChannelClosedException("the receiver was cancelled with the loop it started on", null);
            }
            inbox.close(reported);
            handled(reported);
        }
        inbox.cancel(); // a send still waiting must fail now, not wait for a body that has ended
        return null;
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** The body's {@code value = yield}: reports the previous value handled, then waits for the next one. */
    private T receive() throws InterruptedException {
        handled(null);
        Delivery<T> next = Pull.awaitInterruptibly(inbox.receive());
        current = next;
        return next.value();
    }

    private void handled(@Nullable Throwable failure) {
        Delivery<T> previous = current;
        current = null;
        if (previous != null) {
            if (failure == null) {
                previous.handled().complete(null);
            } else {
                previous.handled().completeExceptionally(failure);
            }
        }
    }

    /**
     * Closes the receiver: Python's {@code close()}. Later sends fail with
     * {@link ChannelClosedException}; the body's waiting {@code receive()} throws
     * {@link InterruptedException} and its {@code finally} blocks run. When the calling thread
     * may block (not a stage body), this waits until the body has finished. Idempotent.
     */
    @Override
    public void close() {
        Task<Void> running;
        synchronized (this) {
            closed = true;
            running = task;
        }
        inbox.cancel();
        if (running == null) {
            return;
        }
        CompletableFuture<Void> finished = running.cancelAndJoin();
        if (Thread.currentThread() != bodyThread && Checks.mayBlockHere()) {
            Checks.awaitUninterruptibly(finished); // the body itself closing must not wait for itself
        }
    }

    @Override
    public String toString() {
        return "Receiver[" + (closed ? "closed" : task == null ? "not started" : "started") + "]";
    }
}
