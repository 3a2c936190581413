package dev.corobridge;

import dev.corobridge.bridge.BlockingBody;
import dev.corobridge.bridge.LaunchKt;
import dev.corobridge.bridge.Origin;
import dev.corobridge.bridge.Stages;
import dev.corobridge.bridge.channels.ChannelOps;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import kotlinx.coroutines.Job;
import kotlinx.coroutines.channels.Channel;
import kotlinx.coroutines.channels.ReceiveChannel;
import org.jspecify.annotations.Nullable;

/**
 * A sequence of elements produced on demand: Python's generator (and asynchronous generator),
 * kotlinx's {@code produce}.
 *
 * <pre>{@code
 * try (Generator<String> tokens = Generator.of(yielder -> {
 *     while (!model.done()) {
 *         yielder.yield(model.nextToken());   // waits until the consumer wants the token
 *     }
 * })) {
 *     tokens.forEach(System.out::print);
 * }
 * }</pre>
 *
 * <h2>Producing</h2>
 * The body given to {@link #of(Body)} is a blocking body: it runs on a virtual thread on JDK 21+
 * (kotlinx's bounded {@code Dispatchers.IO} pool on JDK 17), and only once the consumer first asks
 * for an element, as a Python generator does. {@link Yielder#yield} blocks it until the consumer
 * wants the element: the producer is never more than its buffer (none by default) plus the element
 * in hand ahead of the consumer. When the body returns, the sequence ends; when it throws, the
 * consumer gets that original exception after the elements yielded before it.
 *
 * <p>The producer (for {@link #from(kotlinx.coroutines.flow.Flow)}, the flow's collection) belongs
 * to the generator, not to the task whose call first asked for an element:
 * that task ending cancelled or failed does not stop it, and the generator's other consumers go on.
 * It runs on the running loop of that first call (so a {@code VirtualTime} test's clock is its
 * clock too); {@link #close()} ends it, and so does the end of that loop: when
 * {@link Coroutines#run} returns, a producer it started has been cancelled and its {@code finally}
 * blocks have run, and the sequence then ends plainly after the elements already made.
 *
 * <h2>Consuming</h2>
 * Non-blocking: {@link #next()}, {@link #forEachAsync}, {@link #toList()}, {@link #asPublisher()},
 * {@link #toFlow()}. Blocking (for blocking bodies and plain threads): {@link #iterator()},
 * {@link #stream()}, {@link #forEach}. A generator has one consumer; its elements are handed out
 * once, in order.
 *
 * <h2>Closing</h2>
 * {@link #close()} is Python's {@code generator.close()}: it cancels the producer, interrupting a
 * {@code yield} that waits, so that the body's {@code finally} blocks run; elements not consumed
 * are dropped, and {@link #next()} then gives an empty optional. Close a generator that is not
 * consumed to its end (try-with-resources, or close the {@link #stream()}). A generator whose body
 * has not started costs nothing and never starts once closed.
 *
 * <p>Thread-safe: any thread may consume and close; elements go out in order, one consumer call
 * at a time being the expected use. Consumers on several threads at once (a {@code forEach} and
 * an iterator, say) share the elements: each goes to one of them, and each sees its own in order.
 * Elements are never {@code null}.
 *
 * @param <T> the type of the elements
 * @since 0.1
 */
public final class Generator<T> implements AutoCloseable {
    private static final int NEW = 0;
    private static final int STARTED = 1;
    private static final int CLOSED = 2;

    /**
     * The body of a generator: yields elements, then returns to end the sequence.
     *
     * @param <T> the type of the elements
     */
    @FunctionalInterface
    public interface Body<T> {
        /**
         * Produces the elements, handing each to {@code yielder}.
         *
         * @param yielder takes each element, blocking until the consumer wants it
         * @throws Exception any failure; the consumer gets it as it is
         */
        void generate(Yielder<T> yielder) throws Exception;
    }

    private final Buffer<T> buffer;
    private final Runnable startProducer;
    private final Runnable demand;
    private final Supplier<CompletableFuture<Void>> stopProducer;
    /** The producer of a paced generator ({@link #of(Body)}), which {@link #forEach} may run inline. */
    private final @Nullable Producer<T> paced;
    private final AtomicInteger state = new AtomicInteger(NEW);
    private CompletableFuture<Void> producerFinished = CompletableFuture.completedFuture(null);
    /**
     * A receive whose caller gave up waiting; the next call to {@link #next()} takes it over. Written
     * under this object's lock; read without it by {@link #nextBlocking}'s check.
     */
    private volatile @Nullable CompletableFuture<Optional<T>> unclaimed;

    private Generator(Buffer<T> buffer, Runnable startProducer, Runnable demand,
            Supplier<CompletableFuture<Void>> stopProducer, @Nullable Producer<T> paced) {
        this.buffer = buffer;
        this.startProducer = startProducer;
        this.demand = demand;
        this.stopProducer = stopProducer;
        this.paced = paced;
    }

    /** A generator whose source is already running: closing it stops the source even before the first element. */
    private static <T> Generator<T> running(ReceiveChannel<T> channel, Supplier<CompletableFuture<Void>> stopProducer) {
        Generator<T> generator = new Generator<>(new ChannelBuffer<>(channel), () -> { }, () -> { }, stopProducer, null);
        generator.state.set(STARTED);
        return generator;
    }

    /**
     * Creates a generator that runs exactly as a Python generator does: the producer starts at
     * the first request, and each {@code yield} hands its element over and then stays paused
     * until the consumer asks for the next one. Nothing is computed ahead of the consumer.
     *
     * @param body the producer, a blocking body; it starts when the first element is asked for
     * @param <T> the type of the elements
     * @return a new generator; close it unless it is consumed to the end
     */
    public static <T> Generator<T> of(Body<T> body) {
        return of(0, body);
    }

    /**
     * Creates a generator whose producer may run up to {@code bufferSize} elements ahead of the
     * consumer: {@code yield} waits only when that many are unread. {@code of(0, body)} is
     * {@link #of(Body)}: no element is made before it is asked for.
     *
     * <p>A buffer of one element or more is a ring of slots, which a producer and a consumer on two
     * cores share without a lock per element on the producer's side; {@link #forEach} takes the
     * elements that are ready together. The ring allocates its slots as the producer first fills
     * them, in arrays of up to 256, so a large buffer costs memory only as far as it is used.
     * {@link Integer#MAX_VALUE} (kotlinx's {@code Channel.UNLIMITED}) makes the ring unbounded: it
     * links a new array whenever the last is full, and the producer never waits. The hand-over of
     * {@code of(0, body)} is a kotlinx channel.
     *
     * @param bufferSize how many elements may wait unread; 0 makes each only when it is asked for
     * @param body the producer, a blocking body; it starts when the first element is asked for
     * @param <T> the type of the elements
     * @return a new generator; close it unless it is consumed to the end
     * @throws IllegalArgumentException if {@code bufferSize} is negative
     */
    public static <T> Generator<T> of(int bufferSize, Body<T> body) {
        AsyncChannel.checkCapacity(bufferSize);
        Objects.requireNonNull(body, "body");
        // Paced, the producer makes an element only on request, so one slot never holds more than the
        // element asked for; unlike a rendezvous it lets each side try its part without the other waiting.
        // It stays on a kotlinx channel: with the ring, each next() that waits for its element would
        // cost a coroutine of its own on top (toList of 200,000 elements took 1.2 to 2 times as long).
        Buffer<T> buffer = bufferSize == 0 ? new ChannelBuffer<>(ChannelOps.newChannel(1, null))
                : bufferSize == Channel.UNLIMITED ? RingBuffer.unbounded()
                : new RingBuffer<>(bufferSize);
        Producer<T> producer = new Producer<>(buffer, body, bufferSize == 0);
        return new Generator<>(buffer, producer::start, producer::demand, producer::stop, bufferSize == 0 ? producer : null);
    }

    /**
     * Creates a generator that collects a Kotlin {@code Flow}, lazily: the collection starts when
     * the first element is asked for, runs one element ahead of the consumer at most (the element
     * the flow has emitted and waits to hand over), and is cancelled by {@link #close()}.
     *
     * @param flow the Kotlin flow; it must not emit {@code null}
     * @param <T> the type of the elements
     * @return a new generator
     */
    public static <T> Generator<T> from(kotlinx.coroutines.flow.Flow<T> flow) {
        Objects.requireNonNull(flow, "flow");
        Channel<T> channel = ChannelOps.newChannel(Channel.RENDEZVOUS, null);
        Job[] collector = new Job[1];
        return new Generator<>(new ChannelBuffer<>(channel),
                () -> collector[0] = ChannelOps.collectInto(flow, channel),
                () -> { },
                () -> collector[0] == null ? CompletableFuture.completedFuture(null) : Task.from(collector[0]).cancelAndJoin(),
                null);
    }

    /**
     * Creates a generator of what a Kotlin channel receives, until it is closed. Closing the
     * generator cancels the channel (kotlinx's {@code consume}).
     *
     * @param channel the Kotlin channel; it must not carry {@code null} elements
     * @param <T> the type of the elements
     * @return a new generator
     */
    public static <T> Generator<T> from(ReceiveChannel<T> channel) {
        Objects.requireNonNull(channel, "channel");
        return running(channel, () -> CompletableFuture.completedFuture(null));
    }

    /** A generator of the stages' values in completion order; see {@link Coroutines#asCompleted}. */
    static <T> Generator<T> inCompletionOrder(Collection<? extends CompletionStage<? extends T>> stages) {
        Objects.requireNonNull(stages, "stages");
        List<CompletableFuture<? extends T>> futures = new ArrayList<>(stages.size());
        for (CompletionStage<? extends T> stage : stages) {
            if (stage == null) {
                throw new NullPointerException("stages[" + futures.size() + "]");
            }
            futures.add(Stages.toFuture(stage));
        }
        Channel<T> channel = ChannelOps.newChannel(Channel.UNLIMITED, null);
        AtomicInteger remaining = new AtomicInteger(futures.size());
        Runnable cancelRest = () -> futures.forEach(future -> future.cancel(false));
        if (futures.isEmpty()) {
            ChannelOps.close(channel, null);
        }
        for (CompletableFuture<? extends T> future : futures) {
            future.whenComplete((value, failure) -> {
                if (failure != null) {
                    ChannelOps.close(channel, Stages.unwrap(failure));
                    cancelRest.run();
                    return;
                }
                if (value == null) {
                    ChannelOps.close(channel, new NullPointerException("a stage completed with null; generators carry no nulls"));
                    cancelRest.run();
                    return;
                }
                ChannelOps.trySend(channel, value);
                if (remaining.decrementAndGet() == 0) {
                    ChannelOps.close(channel, null);
                }
            });
        }
        return running(channel, () -> {
            cancelRest.run();
            return CompletableFuture.completedFuture(null);
        });
    }

    /**
     * Asks for the next element: Python's {@code __anext__}. Starts the producer on the first
     * call.
     *
     * <p>Cancelling the future gives up the wait; the element it would have got stays for the
     * next call. So does a body that called this and ends cancelled or failed while it waits (a
     * task cancelled, or a sibling of a task group failing).
     *
     * @return a future of the next element, or of an empty optional once the sequence has ended or
     *     the generator was closed; it fails with the producer's original exception
     */
    public CompletableFuture<Optional<T>> next() {
        if (!start()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        CompletableFuture<Optional<T>> receive;
        synchronized (this) {
            receive = unclaimed;
            unclaimed = null;
        }
        if (receive != null) {
            return claimForCaller(receive); // it already asked for its element
        }
        demand.run();
        Optional<T> now;
        try {
            now = buffer.poll();
        } catch (Throwable failure) {
            return CompletableFuture.failedFuture(failure);
        }
        return now != null ? CompletableFuture.completedFuture(now) : claimForCaller(buffer.receive(true));
    }

    /**
     * The caller's view of a receive: cancelling it gives up the wait, but not the receive, which
     * the next call takes over; so an element taken just as the caller gave up is not lost. The
     * receive itself belongs to the generator, not to the body that asked: it is never cancelled
     * with it.
     */
    private CompletableFuture<Optional<T>> claim(CompletableFuture<Optional<T>> receive) {
        Claim claimed = new Claim(receive);
        receive.whenComplete(claimed::deliver);
        return claimed;
    }

    /**
     * {@link #claim} for {@link #next()}: a body that ends cancelled or failed while it waits gives
     * the wait up too. (A blocking consumer needs no such link: cancelling its body interrupts its
     * wait, which gives it up.)
     */
    private CompletableFuture<Optional<T>> claimForCaller(CompletableFuture<Optional<T>> receive) {
        CompletableFuture<Optional<T>> claimed = claim(receive);
        LaunchKt.cancelWithCallingBody(claimed);
        return claimed;
    }

    /**
     * A claim on a receive. Giving it up (cancelling or completing it from outside) hands the
     * receive back for the next call inside that same call, on the caller's thread: a dependent
     * callback would not do, because a racing delivery may run the dependents on its own thread
     * after the caller's {@code cancel} has returned, and the caller's next call would miss it.
     */
    private final class Claim extends CompletableFuture<Optional<T>> {
        private final CompletableFuture<Optional<T>> receive;

        Claim(CompletableFuture<Optional<T>> receive) {
            this.receive = receive;
        }

        void deliver(@Nullable Optional<T> element, @Nullable Throwable failure) {
            if (failure == null) {
                super.complete(element);
            } else {
                super.completeExceptionally(Stages.unwrap(failure));
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return givenUp(super.cancel(mayInterruptIfRunning) && isCancelled());
        }

        @Override
        public boolean complete(Optional<T> value) {
            return givenUp(super.complete(value));
        }

        @Override
        public boolean completeExceptionally(Throwable ex) {
            return givenUp(super.completeExceptionally(ex));
        }

        private boolean givenUp(boolean won) {
            if (won) {
                synchronized (Generator.this) {
                    unclaimed = receive;
                }
            }
            return won;
        }
    }

    /**
     * Returns a blocking iterator over the remaining elements, for blocking bodies and plain
     * threads. If the producer failed, {@code hasNext()} throws its original exception as it is,
     * even a checked one; if the thread is interrupted while waiting, the interrupt flag is kept
     * and it throws {@link CancellationException}, and the element that wait would have got stays
     * for the next call.
     *
     * <p>When no element is ready, {@code hasNext()} first spins for up to 20 µs, as
     * {@link #forEach} does, then parks until the producer delivers.
     *
     * @return an iterator for one thread
     * @throws IllegalStateException from {@code hasNext()}, if it would wait on a thread that runs
     *     coroutines (a stage body): use {@link #next()} or {@link #forEachAsync} there
     */
    public Iterator<T> iterator() {
        return Pull.iterator(() -> nextBlocking("Generator.iterator"));
    }

    /**
     * Returns a blocking stream of the remaining elements; see {@link #iterator()}. Closing the
     * stream closes the generator:
     *
     * <pre>{@code
     * try (Stream<Integer> numbers = naturals.stream()) {
     *     numbers.limit(10).forEach(System.out::println);
     * }   // the producer is cancelled here
     * }</pre>
     *
     * @return a sequential stream for one thread
     */
    public Stream<T> stream() {
        return Pull.stream(iterator(), this::close);
    }

    /**
     * Runs {@code action} on each remaining element, on the calling thread, and then closes the
     * generator (also when {@code action} throws).
     *
     * <p>For a generator made by {@link #of(Body)} that has not started, this runs the producer
     * right here, as Python's {@code for x in gen} does: each {@code yield} calls {@code action}
     * and continues when it returns, with no thread, channel or hand-off in between. The producer
     * then runs on the calling thread rather than a virtual thread; if {@code action} throws,
     * the producer's waiting {@code yield} throws {@link InterruptedException} (as for
     * {@link #close()}), its {@code finally} blocks run, and then the action's exception is thrown.
     * A {@link #close()} from another thread meanwhile ends it at the next {@code yield}.
     *
     * <p>Otherwise the producer runs on its own thread and this thread waits whenever no element is
     * ready: on a machine with more than one core it first spins for up to 20 µs, long enough for
     * a producer running on another core to deliver, then parks until the producer wakes it. With
     * a buffer made by {@link #of(int, Body)}, the spin lasts up to 200 µs when this thread has
     * just woken the producer (it waited for room), and a parked wait also looks again on its own,
     * 50 µs after it parked and then at growing intervals up to a second, against a wake-up lost in
     * a race. A {@link #close()} from another thread ends the wait and the loop. As for
     * {@link #iterator()}, the producer's failure is thrown as it is, after the elements yielded
     * before it. Over a buffer of one element or more, this takes the elements that are ready
     * together and hands them to {@code action} one by one: they are this call's, so an action
     * must not wait for another consumer of this generator to receive one of them.
     *
     * @param action runs for each element
     * @throws IllegalStateException if called on a thread that runs coroutines (a stage body):
     *     use {@link #forEachAsync} there
     * @throws CancellationException if the thread is interrupted while it waits for an element;
     *     the interrupt flag is kept
     */
    public void forEach(Consumer<? super T> action) {
        Objects.requireNonNull(action, "action");
        Producer<T> producer = paced;
        if (producer != null && Checks.mayBlockHere() && state.compareAndSet(NEW, STARTED)) {
            try {
                producer.runInline(action);
            } finally {
                close();
            }
            return;
        }
        try {
            forEachHandedOver(action);
        } finally {
            close();
        }
    }

    /**
     * {@link #forEach}'s loop when the producer runs on a thread of its own: the elements ready in
     * the buffer are claimed all at once, so that the buffer's lock is taken once for them rather
     * than once per element (see {@link Buffer#forEachReady}); when none are ready, it waits for
     * the next one. A close from another thread ends the hand-over at the next element.
     */
    private void forEachHandedOver(Consumer<? super T> action) {
        while (true) {
            if (unclaimed == null && buffer.forEachReady(action, this::isClosed) > 0) {
                continue;
            }
            Optional<T> element = nextBlocking("Generator.forEach");
            if (element.isEmpty()) {
                return;
            }
            action.accept(element.get());
        }
    }

    private boolean isClosed() {
        return state.get() == CLOSED;
    }

    /**
     * {@link #next()} for a consumer that may block ({@link #iterator()}, {@link #forEach}): the
     * element is taken straight from the buffer, without a future, if it is there, arrives while
     * this thread spins, or (on a ring) arrives while it is parked; otherwise it is awaited through
     * a claimed receive, so that a wait given up by an interrupt leaves the receive to the next
     * call. A receive given up earlier comes first.
     */
    private Optional<T> nextBlocking(String operation) {
        if (unclaimed != null || !Checks.mayBlockHere() || !start()) {
            return Pull.await(next(), operation);
        }
        demand.run();
        Optional<T> now = buffer.takeWaiting();
        return now != null ? now : Pull.await(claim(buffer.receive(false)), operation);
    }

    /**
     * Runs {@code action} on each remaining element without blocking: Python's
     * {@code async for}. The stage {@code action} returns is awaited before the next element is
     * asked for. The returned future fails with the first failure, of the producer or of an
     * action, and the generator is then closed; cancelling the future closes the generator.
     *
     * @param action returns a stage that completes when the element has been handled
     * @return a future completing with {@code null} after the last element
     */
    public CompletableFuture<Void> forEachAsync(Function<? super T, ? extends CompletionStage<?>> action) {
        Objects.requireNonNull(action, "action");
        CompletableFuture<Void> done = new CompletableFuture<>();
        done.whenComplete((ignored, failure) -> {
            if (failure != null) {
                closeWithoutWaiting();
            }
        });
        loop(action, done);
        return done;
    }

    /** Handles elements as long as each next element and each action complete at once; else continues on completion. */
    private void loop(Function<? super T, ? extends CompletionStage<?>> action, CompletableFuture<Void> done) {
        while (!done.isDone()) {
            CompletableFuture<Optional<T>> element = next();
            if (!element.isDone()) {
                element.whenComplete((value, failure) -> handle(element, action, done));
                return;
            }
            CompletableFuture<?> handled = handleNow(element, action, done);
            if (handled == null) {
                return;
            }
            if (!handled.isDone()) {
                handled.whenComplete((value, failure) -> afterAction(handled, action, done));
                return;
            }
            if (!succeeded(handled, done)) {
                return;
            }
        }
    }

    private void handle(CompletableFuture<Optional<T>> element, Function<? super T, ? extends CompletionStage<?>> action,
            CompletableFuture<Void> done) {
        CompletableFuture<?> handled = handleNow(element, action, done);
        if (handled != null) {
            handled.whenComplete((value, failure) -> afterAction(handled, action, done));
        }
    }

    private void afterAction(CompletableFuture<?> handled, Function<? super T, ? extends CompletionStage<?>> action,
            CompletableFuture<Void> done) {
        if (succeeded(handled, done)) {
            loop(action, done);
        }
    }

    /** Starts the action on a completed element; null when the loop is over (end or failure). */
    private @Nullable CompletableFuture<?> handleNow(CompletableFuture<Optional<T>> element,
            Function<? super T, ? extends CompletionStage<?>> action, CompletableFuture<Void> done) {
        if (!succeeded(element, done)) {
            return null;
        }
        Optional<T> value = element.join();
        if (value.isEmpty()) {
            done.complete(null);
            return null;
        }
        try {
            CompletionStage<?> stage = Objects.requireNonNull(action.apply(value.get()), "the action returned null instead of a CompletionStage");
            return Stages.toFuture(stage);
        } catch (Throwable failure) {
            done.completeExceptionally(failure);
            return null;
        }
    }

    private static boolean succeeded(CompletableFuture<?> future, CompletableFuture<Void> done) {
        if (!future.isCompletedExceptionally()) {
            return true;
        }
        try {
            future.join();
        } catch (Throwable failure) {
            done.completeExceptionally(Stages.unwrap(failure));
        }
        return false;
    }

    /**
     * Collects the remaining elements into a list, without blocking: Python's {@code list(gen)}.
     *
     * @return a future of the elements in order, as an unmodifiable list; it fails with the
     *     producer's original exception
     */
    public CompletableFuture<List<T>> toList() {
        List<T> elements = new ArrayList<>();
        return forEachAsync(element -> {
            elements.add(element);
            return CompletableFuture.completedFuture(null);
        }).thenApply(done -> Collections.unmodifiableList(elements));
    }

    /**
     * Returns this generator as a {@link Flow.Publisher} for one subscriber: it asks for one
     * element per unit of demand, never ahead of it. Cancelling the subscription closes the
     * generator; the end of the sequence completes the subscriber, and a producer failure fails it
     * with the original exception.
     *
     * @return a publisher of the remaining elements
     */
    public Flow.Publisher<T> asPublisher() {
        return new PullPublisher<>(this::next, this::closeWithoutWaiting);
    }

    /**
     * Returns this generator as a cold Kotlin {@code Flow} that can be collected once, to hand to
     * Kotlin code. The collection starts the producer, emits the remaining elements, and closes the
     * generator when it ends, fails or is cancelled.
     *
     * @return a flow of the remaining elements
     */
    public kotlinx.coroutines.flow.Flow<T> toFlow() {
        return ChannelOps.flowOf(this::next, this::closeWithoutWaiting);
    }

    /**
     * Closes the generator: Python's {@code generator.close()}. Cancels the producer (its waiting
     * {@code yield} throws {@link InterruptedException}), drops the elements not consumed, and,
     * when the calling thread may block, waits until the producer has finished and its
     * {@code finally} blocks ran. On a thread that runs coroutines (a stage body) it does not
     * wait: use {@link #closeAsync()} there to know when the producer has finished. Idempotent.
     */
    @Override
    public void close() {
        CompletableFuture<Void> finished = closeAsync();
        if (!finished.isDone() && Checks.mayBlockHere()) {
            Checks.awaitUninterruptibly(finished);
        }
    }

    /**
     * Closes the generator like {@link #close()}, without waiting.
     *
     * @return a future that completes once the producer has finished and its {@code finally}
     *     blocks ran; it never fails
     */
    public CompletableFuture<Void> closeAsync() {
        CompletableFuture<Void> finished;
        boolean stop;
        synchronized (this) {
            stop = state.getAndSet(CLOSED) == STARTED;
            unclaimed = null;
            if (stop) {
                producerFinished = new CompletableFuture<>();
            }
            finished = producerFinished;
        }
        buffer.cancel();
        if (stop) {
            stopProducer.get().whenComplete((ignored, failure) -> finished.complete(null));
        }
        return finished;
    }

    private void closeWithoutWaiting() {
        closeAsync();
    }

    /** Starts the producer once; false if the generator is closed. */
    private boolean start() {
        int current = state.get();
        if (current == STARTED) {
            return true;
        }
        synchronized (this) {
            if (state.compareAndSet(NEW, STARTED)) {
                startProducer.run();
                return true;
            }
            return state.get() == STARTED;
        }
    }

    @Override
    public String toString() {
        return "Generator[" + (state.get() == NEW ? "not started" : state.get() == STARTED ? "started" : "closed") + "]";
    }

    /**
     * The producer of {@link Generator#of}: a blocking body that feeds the buffer, started on
     * demand. Without a buffer it is also paced by demand, as a Python generator is: every
     * request for an element grants one step, taken when the body starts and each time a
     * {@code yield} returns.
     */
    private static final class Producer<T> implements Yielder<T> {
        private final Buffer<T> buffer;
        private final Body<T> body;
        private final boolean paced;
        private final Semaphore requests = new Semaphore(0);
        private volatile @Nullable Task<Void> task;
        private volatile @Nullable Thread thread;
        /** Set while {@link #runInline} runs: each yield hands its element straight to it. */
        private volatile @Nullable Consumer<? super T> inlineAction;
        private volatile boolean inlineClosed;
        private @Nullable Throwable inlineActionFailure;
        private final CompletableFuture<Void> inlineFinished = new CompletableFuture<>();
        private final BlockingBody<Void> blocking = new BlockingBody<>(this::run);

        Producer(Buffer<T> buffer, Body<T> body, boolean paced) {
            this.buffer = buffer;
            this.body = body;
            this.paced = paced;
        }

        void demand() {
            if (paced) {
                requests.release();
            }
        }

        /**
         * Waits (a blocking body may) until the consumer asks for another element: spinning first,
         * since a consumer on another core that is iterating asks within a microsecond.
         */
        private void awaitRequest() throws InterruptedException {
            if (paced && !ChannelOps.spinUntil(requests::tryAcquire)) {
                requests.acquire();
            }
        }

        void start() {
            task = Task.of(Origin.ofObject().blocking(blocking), blocking); // the generator's, whoever asked first
        }

        /**
         * Runs the body on this thread, handing each element to {@code action}; see
         * {@link Generator#forEach}. Throws the action's exception, or the body's as it is.
         */
        void runInline(Consumer<? super T> action) {
            thread = Thread.currentThread();
            inlineAction = action;
            Throwable bodyFailure = null;
            try {
                body.generate(this);
            } catch (Throwable failure) {
                bodyFailure = failure;
            } finally {
                inlineAction = null;
                inlineFinished.complete(null);
            }
            Throwable actionFailure = inlineActionFailure;
            if (actionFailure != null) {
                throw Pull.<RuntimeException>rethrow(actionFailure);
            }
            if (bodyFailure != null && !(bodyFailure instanceof InterruptedException && inlineClosed)) {
                throw Pull.<RuntimeException>rethrow(bodyFailure);
            }
        }

        CompletableFuture<Void> stop() {
            if (thread != null && task == null) { // running inline, or ran inline
                inlineClosed = true;
                return Thread.currentThread() == thread ? CompletableFuture.completedFuture(null) : inlineFinished;
            }
            Task<Void> running = task;
            if (running == null) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> finished = running.cancelAndJoin();
            return Thread.currentThread() == thread ? CompletableFuture.completedFuture(null) : finished;
        }

        private void handInline(Consumer<? super T> action, T element) throws InterruptedException {
            if (inlineClosed || inlineActionFailure != null) {
                throw new InterruptedException("the generator was closed");
            }
            try {
                action.accept(element);
            } catch (Throwable failure) {
                inlineActionFailure = failure;
                throw new InterruptedException("the generator was closed: the forEach action threw " + failure);
            }
        }

        private @Nullable Void run() {
            thread = Thread.currentThread();
            try {
                awaitRequest();
                body.generate(this);
                buffer.close(null);
            } catch (Throwable failure) {
                // Cancelled other than by close() (the loop it started on ended): the sequence
                // ends plainly, not with the interrupt that stopped the body.
                buffer.close(blocking.getInterruptedByCancellation() ? null : failure);
            }
            return null;
        }

        @Override
        public void yield(T element) throws InterruptedException {
            Objects.requireNonNull(element, "element");
            Consumer<? super T> action = inlineAction;
            if (action != null) {
                handInline(action, element);
                return;
            }
            if (Thread.interrupted()) { // as BlockingQueue.put: a yield that need not wait ends too (an unbounded ring's never does)
                throw new InterruptedException("the generator's producer was interrupted");
            }
            if (!buffer.put(element)) { // it tries at once, then spins, then parks
                Thread.interrupted(); // the closing interrupt, if it came too, is reported by the exception below
                throw new InterruptedException("the generator was closed");
            }
            awaitRequest();
        }
    }
}
