package dev.corobridge;

import dev.corobridge.bridge.Kept;
import dev.corobridge.bridge.channels.ChannelOps;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import java.util.stream.Stream;
import kotlinx.coroutines.channels.Channel;
import org.jspecify.annotations.Nullable;

/**
 * Passes elements between tasks, with back-pressure: asyncio's {@code Queue}, kotlinx's
 * {@code Channel}, with every operation returning a {@code CompletableFuture}.
 *
 * <pre>{@code
 * AsyncChannel<String> tokens = AsyncChannel.buffered(16);
 * Coroutines.asyncBlocking(() -> {
 *     for (String token : llm.stream(prompt)) {
 *         tokens.put(token);   // blocks this virtual thread while 16 tokens are unread
 *     }
 *     tokens.close();
 *     return null;
 * });
 * tokens.stream().forEach(System.out::print);   // ends when the producer closes
 * }</pre>
 *
 * <h2>Capacity</h2>
 * {@link #rendezvous()}: a send waits for a receiver; {@link #buffered(int)}: up to {@code n}
 * elements wait unread; {@link #unlimited()}: sends never wait; {@link #conflated()}: only the
 * newest unread element is kept. Receivers are served first come, first served, and so are senders.
 *
 * <h2>Closing and cancelling</h2>
 * {@link #close()} ends sending: receivers drain what is buffered, then {@link #receive()} fails
 * with {@link ChannelClosedException}. {@link #close(Throwable)} does the same but receivers then
 * fail with that cause. {@link #cancel()} is for a consumer that gives up: the channel is closed
 * both ways at once and buffered elements are dropped. The library keeps no reference to a dropped
 * element; the kotlinx channel underneath may still reference a few elements that a
 * {@link #trySend} returning {@code false} (or a {@code send} before it waited) had written into
 * it, until the channel itself is unreachable.
 *
 * <h2>Undelivered elements</h2>
 * The factories that take an {@code onUndeliveredElement} handler hand it every element that was
 * sent but will never be received: the element of a {@code send} whose future was cancelled, the
 * elements left in the buffer at {@link #cancel()}, the element of a {@code send} that found the
 * channel closed, the element a {@code receive} had already taken when its future was cancelled,
 * and, for {@link #conflated(Consumer)}, each element the next one replaced. Every element a
 * {@code send} hands over is therefore either received once or given to the handler once, never
 * both and never neither. The handler runs on whichever thread caused the loss;
 * it must be quick and should not throw. If it does throw, the operation that caused the loss
 * still takes full effect and does not throw: the handler's exception goes to the uncaught-exception
 * handler of the thread that ran it (as kotlinx does with an exception no caller can receive), and
 * the next elements still reach the handler. {@link #trySend} that returns {@code false} is not a
 * loss: the caller keeps the element.
 *
 * <h2>Blocking threads</h2>
 * A blocking body or a plain thread may use {@link #put} and {@link #take}, which block the
 * calling thread as {@code BlockingQueue}'s methods of those names do, and the blocking
 * {@link #iterator()} and {@link #stream()}. They wait on the calling thread itself, which the
 * other side wakes directly, if it must be woken at all. Waiting for the future of {@code send} or
 * {@code receive} instead costs, for each element that has to wait, a coroutine on the running
 * loop and the wake of one of its threads, which then wakes the waiting one: with a buffer of 16, a
 * producer that joined each {@code send} took three times as long as one that puts, and for a
 * rendezvous thirty times (benchmark B4, ANALYSIS.md). On a thread that runs coroutines these
 * methods throw {@link IllegalStateException} rather than stall it.
 *
 * <h2>Costs</h2>
 * A {@code send} or {@code receive} that can complete at once (the same cases in which
 * {@link #trySend}/{@link #tryReceive} succeed) returns a completed future without starting a
 * coroutine. Otherwise a coroutine waits on the channel, on the caller's running loop (see
 * {@link Coroutines}); it is cancelled with the returned future.
 *
 * <p>Elements must not be {@code null}. Thread-safe: any number of threads may send and receive
 * at once; each element is received exactly once.
 *
 * @param <T> the type of the elements
 * @since 0.1
 */
public final class AsyncChannel<T> {
    private final Channel<T> channel;
    private final Consumer<? super T> onUndeliveredElement;
    /** Whether the channel may have no buffer, so that {@link #put} must queue to meet a receiver (ChannelOps.sendBlocking). */
    private final boolean rendezvous;

    private AsyncChannel(Channel<T> channel, Consumer<? super T> onUndeliveredElement, boolean rendezvous) {
        this.channel = channel;
        this.onUndeliveredElement = onUndeliveredElement;
        this.rendezvous = rendezvous;
    }

    /**
     * Creates a channel with no buffer: each {@code send} waits until a receiver takes its element.
     *
     * @param <T> the type of the elements
     * @return a new channel
     */
    public static <T> AsyncChannel<T> rendezvous() {
        return create(Channel.RENDEZVOUS, null);
    }

    /**
     * Creates a channel with no buffer that hands lost elements to {@code onUndeliveredElement}
     * (see the class description).
     *
     * @param onUndeliveredElement receives each element that will never be received
     * @param <T> the type of the elements
     * @return a new channel
     */
    public static <T> AsyncChannel<T> rendezvous(Consumer<? super T> onUndeliveredElement) {
        return create(Channel.RENDEZVOUS, Objects.requireNonNull(onUndeliveredElement, "onUndeliveredElement"));
    }

    /**
     * Creates a channel in which up to {@code capacity} elements wait unread; a {@code send}
     * beyond that waits for a receiver. {@code buffered(0)} is {@link #rendezvous()}.
     *
     * @param capacity how many elements may wait unread
     * @param <T> the type of the elements
     * @return a new channel
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static <T> AsyncChannel<T> buffered(int capacity) {
        return create(checkCapacity(capacity), null);
    }

    /**
     * Creates a buffered channel that hands lost elements to {@code onUndeliveredElement}.
     *
     * @param capacity how many elements may wait unread
     * @param onUndeliveredElement receives each element that will never be received
     * @param <T> the type of the elements
     * @return a new channel
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static <T> AsyncChannel<T> buffered(int capacity, Consumer<? super T> onUndeliveredElement) {
        return create(checkCapacity(capacity), Objects.requireNonNull(onUndeliveredElement, "onUndeliveredElement"));
    }

    /**
     * Creates a channel whose buffer has no bound: {@code send} never waits. Use it only when the
     * producer is bounded some other way.
     *
     * @param <T> the type of the elements
     * @return a new channel
     */
    public static <T> AsyncChannel<T> unlimited() {
        return create(Channel.UNLIMITED, null);
    }

    /**
     * Creates an unbounded channel that hands the elements left at {@link #cancel()} to
     * {@code onUndeliveredElement}.
     *
     * @param onUndeliveredElement receives each element that will never be received
     * @param <T> the type of the elements
     * @return a new channel
     */
    public static <T> AsyncChannel<T> unlimited(Consumer<? super T> onUndeliveredElement) {
        return create(Channel.UNLIMITED, Objects.requireNonNull(onUndeliveredElement, "onUndeliveredElement"));
    }

    /**
     * Creates a channel that keeps only the newest unread element: {@code send} never waits, and
     * replaces an element nobody has received yet. For "latest state" updates.
     *
     * @param <T> the type of the elements
     * @return a new channel
     */
    public static <T> AsyncChannel<T> conflated() {
        return create(Channel.CONFLATED, null);
    }

    /**
     * Creates a conflated channel that hands every replaced or abandoned element to
     * {@code onUndeliveredElement}.
     *
     * @param onUndeliveredElement receives each element that will never be received
     * @param <T> the type of the elements
     * @return a new channel
     */
    public static <T> AsyncChannel<T> conflated(Consumer<? super T> onUndeliveredElement) {
        return create(Channel.CONFLATED, Objects.requireNonNull(onUndeliveredElement, "onUndeliveredElement"));
    }

    /**
     * Wraps a Kotlin channel, so that Java code can use one that Kotlin code created. Both sides
     * then see the same elements; its undelivered-element handler, if it has one, is the one used,
     * except for the element a cancelled {@link #receive()} had already taken, which is dropped
     * (Java cannot reach a Kotlin channel's handler).
     *
     * @param channel the Kotlin channel; it must not carry {@code null} elements
     * @param <T> the type of the elements
     * @return a view of {@code channel}
     */
    public static <T> AsyncChannel<T> from(Channel<T> channel) {
        return new AsyncChannel<>(Objects.requireNonNull(channel, "channel"), element -> { }, true); // its buffer is unknown
    }

    private static <T> AsyncChannel<T> create(int capacity, @Nullable Consumer<? super T> onUndeliveredElement) {
        Consumer<? super T> handler = onUndeliveredElement != null ? guarded(onUndeliveredElement) : null;
        return new AsyncChannel<>(ChannelOps.newChannel(capacity, handler), handler != null ? handler : element -> { },
                capacity == Channel.RENDEZVOUS);
    }

    /**
     * The handler, made unable to break the operation that calls it: without this, kotlinx throws
     * its internal {@code UndeliveredElementException} from {@code cancel()} and {@code trySend}, and
     * a failed {@code send} would swallow the handler's exception.
     */
    private static <T> Consumer<T> guarded(Consumer<? super T> handler) {
        return element -> {
            try {
                handler.accept(element);
            } catch (RuntimeException | Error failure) {
                Thread current = Thread.currentThread();
                current.getUncaughtExceptionHandler().uncaughtException(current, failure);
            }
        };
    }

    static int checkCapacity(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, was " + capacity);
        }
        return capacity;
    }

    /**
     * Sends {@code element}: asyncio's {@code Queue.put}, kotlinx's {@code send}. The future
     * completes once the channel has taken the element (buffered it, or handed it to a receiver).
     *
     * <p>Cancelling the future before then withdraws the element: it is never received, and goes
     * to the undelivered-element handler. A cancellation that comes at the very moment the channel
     * takes the element may find it already taken: the future is then cancelled all the same, and
     * the element is received (or handed to the handler at {@link #cancel()}) like any other; it
     * is never lost and never counted twice. As for any {@code CompletableFuture}, {@code cancel}
     * returning {@code true} says the future ended cancelled, not that the element was withdrawn.
     *
     * @param element the element
     * @return a future completing with {@code null} once the element is taken; it fails with
     *     {@link ChannelClosedException} if the channel is closed (or with the cause given to
     *     {@link #close(Throwable)})
     * @throws NullPointerException if {@code element} is {@code null}
     */
    public CompletableFuture<Void> send(T element) {
        Objects.requireNonNull(element, "element");
        if (ChannelOps.trySend(channel, element)) {
            return CompletableFuture.completedFuture(null);
        }
        return Task.of(ChannelOps.sendAsync(channel, element, ChannelClosedException::forCause));
    }

    /**
     * Sends {@code element}, blocking the calling thread until the channel takes it (buffers it, or
     * hands it to a receiver): {@code BlockingQueue.put}, kotlinx's {@code runBlocking { send(e) }},
     * for blocking bodies and plain threads. It returns at once if the channel can take the element
     * now. Otherwise, on a machine with more than one core, it spins for up to 20 µs, long enough for
     * a receiver on another core to act, then parks until one does. A buffered channel is retried
     * without allocating while this thread spins; a rendezvous channel, which takes an element only
     * from a sender waiting in its queue, queues the send at once (as a coroutine that the receiver
     * ends on its own thread, where this thread sees it).
     *
     * <p>An interrupt ends only a wait: a {@code put} that need not wait sends, and leaves the
     * flag set. If the thread is interrupted while it waits, the send is given up as a cancelled
     * {@link #send}'s is: the element goes to the undelivered-element handler, unless a receiver
     * took it at that very moment; either way it is never lost and never received twice.
     *
     * @param element the element
     * @throws InterruptedException if the thread is interrupted while it waits (the flag is then
     *     cleared)
     * @throws ChannelClosedException if the channel is closed; the element then goes to the
     *     undelivered-element handler. A channel closed with a cause throws that cause as it is,
     *     even a checked exception.
     * @throws IllegalStateException if called on a thread that runs coroutines (a stage body):
     *     use {@link #send} there
     * @throws NullPointerException if {@code element} is {@code null}
     */
    public void put(T element) throws InterruptedException {
        Objects.requireNonNull(element, "element");
        Checks.mayBlock("AsyncChannel.put");
        ChannelOps.put(channel, element, rendezvous, ChannelClosedException::forCause);
    }

    /**
     * Sends {@code element} if the channel can take it now, without waiting: asyncio's
     * {@code put_nowait}, kotlinx's {@code trySend}.
     *
     * @param element the element
     * @return {@code true} if the channel took it; {@code false} if it is full or closed, in which
     *     case the caller keeps the element (it does not go to the undelivered-element handler)
     * @throws NullPointerException if {@code element} is {@code null}
     */
    public boolean trySend(T element) {
        Objects.requireNonNull(element, "element");
        return ChannelOps.trySend(channel, element);
    }

    /**
     * Receives the next element: asyncio's {@code Queue.get}, kotlinx's {@code receive}.
     *
     * <p>Cancelling the future before it completes leaves the element in the channel for another
     * receiver; if the receive had already taken its element when the cancellation came, that
     * element goes to the {@code onUndeliveredElement} handler (as kotlinx does for a receive
     * cancelled after it retrieved its element), never nowhere.
     *
     * @return a future of the element; it fails with {@link ChannelClosedException} once the
     *     channel is closed and drained, or with the cause given to {@link #close(Throwable)}
     */
    public CompletableFuture<T> receive() {
        CompletableFuture<T> now = ChannelOps.receiveNow(channel, ChannelClosedException::forCause);
        if (now != null) {
            return now;
        }
        Kept<T> kept = new Kept<>();
        return Task.handingOver(ChannelOps.receiveAsync(channel, ChannelClosedException::forCause, kept), kept,
                onUndeliveredElement);
    }

    /**
     * Receives the next element, blocking the calling thread until there is one:
     * {@code BlockingQueue.take}, kotlinx's {@code runBlocking { receive() }}, for blocking bodies
     * and plain threads. It waits as {@link #iterator()} does: a spin of up to 20 µs on a machine
     * with more than one core, then parked until a sender wakes it.
     *
     * <p>If the thread is interrupted while it waits, the receive is given up as a cancelled
     * {@link #receive}'s is: the element stays in the channel for another receiver, and an
     * element the receive had taken at that very moment goes to the undelivered-element handler.
     *
     * @return the element
     * @throws InterruptedException if the thread is interrupted while it waits (the flag is then
     *     cleared)
     * @throws ChannelClosedException once the channel is closed and drained, or cancelled. A
     *     channel closed with a cause throws that cause as it is, even a checked exception.
     * @throws IllegalStateException if called on a thread that runs coroutines (a stage body):
     *     use {@link #receive} there
     */
    public T take() throws InterruptedException {
        Checks.mayBlock("AsyncChannel.take");
        return ChannelOps.take(channel, ChannelClosedException::forCause);
    }

    /**
     * Receives an element if one is there now, without waiting: asyncio's {@code get_nowait},
     * kotlinx's {@code tryReceive}.
     *
     * @return the element, or empty if there is none now or the channel is closed and drained
     *     ({@link #isClosedForReceive()} tells the two apart)
     */
    public Optional<T> tryReceive() {
        return Optional.ofNullable(ChannelOps.tryReceive(channel));
    }

    /**
     * Closes the channel for sending. Elements already sent are still received; after them,
     * {@link #receive()} fails with {@link ChannelClosedException}. Idempotent.
     *
     * @return {@code true} if this call closed the channel
     */
    public boolean close() {
        return ChannelOps.close(channel, null);
    }

    /**
     * Closes the channel for sending with a cause: elements already sent are still received, then
     * receivers fail with {@code cause} itself, as do later senders. Does nothing if the channel
     * is already closed.
     *
     * @param cause the failure receivers see, for instance the producer's exception
     * @return {@code true} if this call closed the channel
     */
    public boolean close(Throwable cause) {
        return ChannelOps.close(channel, Objects.requireNonNull(cause, "cause"));
    }

    /**
     * Cancels the channel, for a consumer that stops early: it is closed both ways, buffered
     * elements are dropped (and handed to the undelivered-element handler), waiting senders and
     * receivers fail with {@link ChannelClosedException}. Idempotent.
     */
    public void cancel() {
        ChannelOps.cancel(channel);
    }

    /**
     * Returns whether the channel is closed for sending: after {@link #close()} or
     * {@link #cancel()}. A snapshot.
     *
     * @return {@code true} if a send would fail
     */
    public boolean isClosedForSend() {
        return ChannelOps.isClosedForSend(channel);
    }

    /**
     * Returns whether the channel is closed and drained: a receive would fail. A snapshot.
     *
     * @return {@code true} if no element will ever be received again
     */
    public boolean isClosedForReceive() {
        return ChannelOps.isClosedForReceive(channel);
    }

    /**
     * Returns a blocking iterator over the elements received from now on, for blocking bodies and
     * plain threads: {@code hasNext()} waits for the next element and returns {@code false} once
     * the channel is closed and drained. Several iterators (on several threads) share the
     * elements, each element going to one of them; abandoning an iterator does not cancel the
     * channel.
     *
     * <p>If the channel was closed with a cause, {@code hasNext()} throws that cause as it is,
     * even a checked exception. If the thread is interrupted while waiting, the wait is given up
     * (an element it had taken at that moment goes to the undelivered-element handler), the
     * interrupt flag is kept, and {@code hasNext()} throws
     * {@link java.util.concurrent.CancellationException}.
     *
     * <p>When no element is ready, {@code hasNext()} first spins for up to 20 µs on a machine with
     * more than one core, long enough for a sender on another core to deliver, then parks until an
     * element comes.
     *
     * @return an iterator for one thread
     * @throws IllegalStateException from {@code hasNext()}, if it would wait on a thread that runs
     *     coroutines (a stage body)
     */
    public Iterator<T> iterator() {
        return Pull.iterator(this::nextBlocking);
    }

    /**
     * The next element for {@link #iterator()}: taken straight from the channel if it is there or
     * arrives while this thread spins, else awaited on this thread, which the sender then wakes
     * directly (no coroutine on another thread, whose hop cost a rendezvous hand-over tens of
     * microseconds on two cores: benchmark B4).
     */
    private Optional<T> nextBlocking() {
        if (!Checks.mayBlockHere()) {
            return Pull.await(next(), "AsyncChannel.iterator"); // done, or refused with the reason
        }
        try {
            return ChannelOps.nextBlocking(channel);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            CancellationException cancelled = new CancellationException("AsyncChannel.iterator was interrupted");
            cancelled.initCause(interrupted);
            throw cancelled;
        }
    }

    /**
     * Returns a blocking stream of the elements received from now on; see {@link #iterator()}. The
     * stream belongs to its consumer, as kotlinx's {@code consumeEach} does: closing it (as
     * try-with-resources does) before the end {@linkplain #cancel() cancels} the channel, so that a
     * producer waiting to send is released.
     *
     * <pre>{@code
     * try (Stream<String> lines = channel.stream()) {
     *     lines.limit(10).forEach(System.out::println);
     * }   // the channel is cancelled: the producer's next send fails
     * }</pre>
     *
     * @return a sequential stream for one thread
     */
    public Stream<T> stream() {
        return Pull.stream(iterator(), this::cancel);
    }

    /**
     * Returns this channel as a {@link Flow.Publisher}: each subscriber receives elements as it
     * requests them, one receive per unit of demand and none ahead of it. Several subscribers
     * share the elements. Cancelling a subscription gives up its pending receive and leaves the
     * channel open; an element that had already been received for it at that moment goes to the
     * undelivered-element handler.
     * The subscriber completes when the channel is closed and drained, and fails with the close
     * cause if there is one.
     *
     * @return a publisher of the elements
     */
    public Flow.Publisher<T> asPublisher() {
        return new PullPublisher<>(this::next, () -> { });
    }

    /**
     * Returns the Kotlin channel underneath, to hand to Kotlin code.
     *
     * @return the Kotlin channel
     */
    public Channel<T> asKotlin() {
        return channel;
    }

    private CompletableFuture<Optional<T>> next() {
        CompletableFuture<Optional<T>> now = ChannelOps.nextNow(channel);
        if (now != null) {
            return now;
        }
        Kept<Optional<T>> kept = new Kept<>();
        return Task.handingOver(ChannelOps.nextAsync(channel, kept), kept, element -> element.ifPresent(onUndeliveredElement));
    }

    @Override
    public String toString() {
        return "AsyncChannel[" + (isClosedForReceive() ? "closed" : isClosedForSend() ? "closing" : "open") + "]";
    }
}
