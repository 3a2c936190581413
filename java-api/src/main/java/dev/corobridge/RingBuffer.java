package dev.corobridge;

import dev.corobridge.bridge.Stages;
import dev.corobridge.bridge.channels.ChannelOps;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import kotlinx.coroutines.Job;
import org.jspecify.annotations.Nullable;

/**
 * The buffer of {@link Generator#of(int, Generator.Body)} with one slot or more, bounded or not: a
 * ring between the producer's thread and the consumer, so that a producer and a consumer running
 * on two cores share no more than the ring.
 *
 * <p>The slots themselves say where each side may go on: the producer puts into its next slot once
 * that slot is empty, the consumer takes from its next slot once it holds an element. Each side's
 * position is its own, on cache lines of its own. A kotlinx channel, in comparison, has every
 * element update counters that both sides read, which moves their cache lines between the cores on
 * every element (benchmark B4's profile).
 *
 * <h2>The links that close the ring</h2>
 * The slots are arrays of up to {@value #ARRAY_SLOTS}, each with one more place at its end, which
 * holds a {@link Link} to the array each side goes on with after its last slot. An array has no
 * link until the producer has filled it; the producer then links the next one and goes on there,
 * and the consumer follows the link once it has taken the last element before it. So a ring
 * allocates its slots as the producer first fills them, not up front:
 * <ul>
 *   <li>A bounded ring links new arrays until they hold its capacity, the last one only the slots
 *       left over, and then links its last array back to its first. From then on the producer comes
 *       round to slots it filled before, and waits while the next one is still full. A ring of up
 *       to {@value #ARRAY_SLOTS} slots is one array, linked back to itself from the start.
 *   <li>An unbounded ring links a new array of {@value #ARRAY_SLOTS} slots each time, so its
 *       producer always finds its next slot empty, and never waits; the arrays the consumer has
 *       left are garbage.
 * </ul>
 *
 * <p>One thread puts: the generator's producer. Consumers take under a lock (any thread may
 * consume, one call at a time being the expected use); a receive that finds the ring empty waits
 * in a queue, served in order, by the producer as it puts, before any later take. A consumer that
 * may block (the generator's iterator) parks instead, with no future and no queue; one at a time.
 *
 * <h2>Claims</h2>
 * {@link #forEachReady} claims the elements ready under one lock and then hands them over one by
 * one outside it, each slot staying full until its element is handed over, so that the producer
 * gets no further ahead than with one take per element. Meanwhile the producer may fill the slots
 * already handed over and other consumers may take them, so the head of a bounded ring can come
 * round to the claimed slots that are still full: a take that comes to one takes nothing (the
 * element is the claim's), and goes on once the claim has handed that element over. To tell them
 * apart the elements are numbered: a claim is the range of the numbers it took, with the number of
 * the first it has not handed over yet. There is one claim at a time.
 *
 * <h2>Slots emptied in runs</h2>
 * A take leaves its element's slot full, and the takes empty their slots together, at the end of
 * each run of {@value #EMPTIED_TOGETHER} slots (of half the ring, if that is fewer, so that the head
 * never comes round to a slot still to be emptied). The lock each take holds is an atomic
 * operation, which waits for the consumer's earlier stores to reach its cache; a store that empties
 * a slot must first bring the slot's cache line from the producer's core, where the producer fills
 * the slots beside it. Emptied one at a time, every take's lock waited for that line; emptied in
 * runs, one lock in a run does (benchmark B4 with 16 slots; ANALYSIS.md, S24). While it spins, a
 * producer that found the ring full waits for half of it to be empty anyway (see below).
 *
 * <p>A run is cut short, and its slots emptied at once, whenever a side is about to wait: a take
 * that finds the producer parked empties its own slot, and the producer empties the run so far
 * itself, under the lock, before it parks; a consumer empties it before it parks or joins the queue
 * of receives. So do a claim (before it claims), a head that follows a link (the run lies in the
 * array it leaves), a take that finds the end, and a cancel. A producer whose consumer took an
 * element and went away therefore waits out its spin, at most 200 µs, before it finds the room; and
 * the ring keeps fewer than a run of elements its consumers have taken for as long as neither side
 * waits.
 *
 * <h2>Waking the other side</h2>
 * A side that finds no element (no room) spins for up to 20 µs, as the channel operations do, and
 * then goes to sleep: a receive joins the queue, a blocking consumer or the producer parks. The
 * other side wakes it after its next put (take), and takes a parked thread out of its field as it
 * unparks it, so that one park costs one unpark. Both write their slot with a release store and
 * then read whether the other side sleeps, without a full fence in between, which would cost each
 * element a wait for the slot's cache line to come back from the other core. The price is a race:
 * a side can read "nobody sleeps" before its own write is visible to a side that is just going to
 * sleep, and that side then sleeps with work there. So a sleeping side looks again on its own,
 * 50 µs after it went to sleep (by then any such write is visible: store buffers drain in
 * nanoseconds), and then at four times the previous interval, up to once a second, for as long as
 * it sleeps. The race costs the element's wait 50 µs at most; a side that waits long wakes about
 * once a second.
 *
 * <p>A side that has just woken the other spins for up to 200 µs instead of 20, the time the other
 * may take to run again: parking sooner would have the two take turns at waking each other (JFR of
 * benchmark B4 showed the unparking of the producer's virtual thread in a fifth of the samples).
 *
 * <p>A producer that finds the ring full spins until half of it is empty, not just its next slot
 * (once parked, it waits for one slot). Refilling each slot as soon as the consumer empties it
 * would have the producer write into the cache line the consumer reads next, so that the line
 * crossed between the cores with every element; now it crosses once for a run of elements
 * (benchmark B4 with a buffer of 16; ANALYSIS.md, S22).
 *
 * @param <T> the type of the elements
 */
final class RingBuffer<T> implements Buffer<T> {
    /** How many slots each array holds at most; it is also the most {@link #forEachReady} claims. */
    static final int ARRAY_SLOTS = 256;
    /** When a side that went to sleep first looks again on its own; see the class comment. */
    static final long FIRST_LOOK_NANOS = 50_000L;
    /** The longest a sleeping side goes without looking again. */
    static final long MOST_LOOK_NANOS = 1_000_000_000L;
    /** How many slots the takes empty at a time at most; see the class comment. */
    static final int EMPTIED_TOGETHER = 8;

    private static final int OPEN = 0;
    private static final int CLOSED = 1;
    private static final int CANCELLED = 2;
    /** The slots are read and written through this, with the memory ordering each access names. */
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle PARKED_PRODUCER;
    private static final VarHandle PARKED_CONSUMER;
    private static final VarHandle HANDED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PARKED_PRODUCER = lookup.findVarHandle(RingBuffer.class, "parkedProducer", Thread.class);
            PARKED_CONSUMER = lookup.findVarHandle(RingBuffer.class, "parkedConsumer", Thread.class);
            HANDED = lookup.findVarHandle(CursorValue.class, "handed", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The slot the next element goes into; the producer's. */
    private final Cursor tail = new Cursor();
    /** The slot of the next element to take; the consumers', under {@code lock}. */
    private final Cursor head = new Cursor();
    /**
     * How many elements {@link #forEachReady} claims at most: {@value #ARRAY_SLOTS}, which bounds
     * the walk under the lock, or one short of a bounded ring's slots if they are fewer (see there).
     */
    private final int mostClaimed;
    /** How many empty slots a producer that found the ring full spins for: half the ring, at most 128. */
    private final int refill;
    /**
     * How many slots the takes empty at a time: {@value #EMPTIED_TOGETHER}, or {@code refill} if
     * that is fewer, so that fewer slots than the ring has are ever left full after their takes;
     * see the class comment.
     */
    private final int run;
    /** The ring's size; 0 for an unbounded ring. */
    private final int capacity;
    /**
     * A bounded ring's first array, which its last one links back to; null for an unbounded ring,
     * whose arrays the consumer has left must not stay reachable from it.
     */
    private final @Nullable Object @Nullable [] first;
    /** The producer's: how many of a bounded ring's slots are still to be allocated. */
    private int unallocated;
    private final Object lock = new Object();
    /** Receives waiting for an element, oldest first; under {@code lock}. */
    private final ArrayDeque<CompletableFuture<Optional<T>>> waiters = new ArrayDeque<>();
    /** Whether there are waiters, for the producer to look at without the lock; written under it. */
    private volatile boolean waiting;
    private volatile int state = OPEN;
    /** The producer's failure; written before {@code state} becomes {@code CLOSED}. */
    private @Nullable Throwable failure;
    /** The producer while it is parked, waiting for room; taken out by the take that unparks it. */
    private volatile @Nullable Thread parkedProducer;
    /** The blocking consumer parked in {@link #takeWaiting()}, one at a time; taken out by the put that unparks it. */
    private volatile @Nullable Thread parkedConsumer;
    /**
     * Whether a take unparked the producer since a consumer last spun: the next consumer to find the
     * ring empty then spins longer, until the producer runs again. A hint, written and read without
     * order by any consumer; a race only makes one spin shorter or longer.
     */
    private boolean producerWoken;
    /** The same for the producer: whether its last put completed a waiting receive. The producer's own. */
    private boolean consumerWoken;

    /**
     * Creates a ring of {@code capacity} slots; it allocates them as the producer first fills them,
     * an array of up to {@value #ARRAY_SLOTS} at a time.
     *
     * @throws IllegalArgumentException if {@code capacity} is less than 1
     */
    RingBuffer(int capacity) {
        this(firstArray(capacity), capacity, Math.min(capacity - 1, ARRAY_SLOTS));
    }

    /**
     * The first array comes in made, so that it lies before the ring in memory, not after it: with
     * the array made after the ring's fields and before the generator's, the iterator over a ring
     * of 256 took twice as long in benchmark B4 (74 to 98 against 38 to 59 ms, S20), a placement
     * effect between neighbouring objects that no line of the code shows.
     */
    private RingBuffer(@Nullable Object[] slots, int capacity, int mostClaimed) {
        this.capacity = capacity;
        this.mostClaimed = mostClaimed;
        refill = Math.max(1, Math.min(capacity, ARRAY_SLOTS) / 2);
        run = Math.min(refill, EMPTIED_TOGETHER);
        unallocated = capacity == 0 ? 0 : capacity - (slots.length - 1);
        if (isClosing()) {
            slots[slots.length - 1] = new Link(slots); // a ring of one array: closed from the start
        }
        first = capacity == 0 ? null : slots;
        tail.slots = slots;
        head.slots = slots;
    }

    /** Creates a ring with no bound: its producer never waits, and it grows by arrays of {@value #ARRAY_SLOTS} slots. */
    static <T> RingBuffer<T> unbounded() {
        return new RingBuffer<>(new Object[ARRAY_SLOTS + 1], 0, ARRAY_SLOTS);
    }

    /** The first array of a ring of {@code capacity} slots. */
    private static @Nullable Object[] firstArray(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        return new Object[Math.min(capacity, ARRAY_SLOTS) + 1];
    }

    @Override
    public @Nullable Optional<T> poll() {
        if (waiting) {
            return null; // they come first
        }
        synchronized (lock) {
            return waiters.isEmpty() ? takeLocked() : null;
        }
    }

    @Override
    public @Nullable Optional<T> pollSpinning() {
        Optional<T> now = poll();
        if (now != null) {
            return now;
        }
        boolean woke = producerWoken;
        if (woke) {
            producerWoken = false;
        }
        return (woke ? ChannelOps.spinAfterWakingUntil(this::mayTake) : ChannelOps.spinUntil(this::mayTake)) ? poll() : null;
    }

    /**
     * {@inheritDoc}
     *
     * <p>After spinning, the consumer parks, as the producer does when the ring is full: the
     * producer unparks it after its next put, and it looks again on its own (see the class
     * comment). Parked, it is not in the queue of receives: a receive that comes meanwhile is
     * served first. A consumer that finds receives waiting when it looks leaves its wait to the
     * queue, behind them, so that a stream of receives cannot keep it waiting; so does a second
     * consumer that finds the first one parked.
     */
    @Override
    public @Nullable Optional<T> takeWaiting() {
        Optional<T> now = pollSpinning();
        return now != null ? now : takeParked();
    }

    /**
     * {@link #takeWaiting()} after its spin: parks until there is an element or the end.
     *
     * @return as {@link #takeWaiting()}
     */
    @Nullable Optional<T> takeParked() {
        Optional<T> now;
        Thread consumer = Thread.currentThread();
        synchronized (lock) {
            emptyTaken(); // before this consumer sleeps, so that the ring keeps no element it has handed over
        }
        try {
            long nanos = FIRST_LOOK_NANOS;
            while (true) {
                // The put that unparks takes the consumer out of the field, so that the puts after
                // it do not unpark again; so the consumer puts itself back before each look.
                if (parkedConsumer != consumer && !PARKED_CONSUMER.compareAndSet(this, null, consumer)) {
                    return null; // another consumer waits so
                }
                now = poll(); // after parkedConsumer is set, so that a put after this look unparks
                if (now != null || waiting || consumer.isInterrupted()) {
                    return now;
                }
                LockSupport.parkNanos(this, nanos);
                nanos = nextLook(nanos);
            }
        } finally {
            PARKED_CONSUMER.compareAndSet(this, consumer, null);
        }
    }

    @Override
    @SuppressWarnings("unchecked") // only the producer's elements are put in the slots
    public int forEachReady(Consumer<? super T> action, BooleanSupplier stop) {
        if (waiting) {
            return 0;
        }
        @Nullable Object[] first;
        int firstAt;
        int claimed = 0;
        long from;
        synchronized (lock) {
            if (!waiters.isEmpty() || state == CANCELLED || (long) HANDED.getAcquire(head) < head.claimEnd) {
                return 0; // one claim at a time: takes must know which slots are claimed
            }
            emptyTaken(); // the producer fills in order: until these slots are empty, the claim's make no room for it
            first = head.slots;
            firstAt = head.at;
            from = head.position;
            // A bounded ring claims one slot short of all of them: its head must not come round to
            // the slots it has just claimed.
            while (claimed < mostClaimed && headElement() != null) {
                claimed++;
                head.at++;
                head.position++;
            }
            HANDED.setRelease(head, from);
            head.claimEnd = from + claimed;
        }
        // The claimed slots stay full until each is emptied here, so the producer cannot reuse them
        // before; a cancel empties them all, which ends the hand-over.
        @Nullable Object[] slots = first;
        int at = firstAt;
        for (int handed = 0; handed < claimed; handed++) {
            Object element = SLOT.getAcquire(slots, at);
            if (element instanceof Link link) {
                slots = link.next;
                at = 0;
                element = SLOT.getAcquire(slots, at);
            }
            if (element == null || stop.getAsBoolean()) {
                return handed;
            }
            SLOT.setRelease(slots, at, null);
            HANDED.setRelease(head, from + handed + 1); // after the slot is empty: a take that comes round may use it
            wakeProducer();
            at++;
            action.accept((T) element);
        }
        return claimed;
    }

    @Override
    public CompletableFuture<Optional<T>> receive(boolean dispatched) {
        CompletableFuture<Optional<T>> waiter = new CompletableFuture<>();
        synchronized (lock) {
            emptyTaken(); // before this consumer waits, so that the ring keeps no element it has handed over
            waiters.add(waiter);
            waiting = true;
        }
        serve(); // an element, or the end, may have come before the producer could see the flag
        if (!waiter.isDone()) {
            new LookAgain(waiter);
        }
        // Only this ring completes a waiter, so an element it is given always arrives: the caller
        // gets a future of its own, which cancelling does not touch. Served on the producer's
        // thread, the one for next() is completed by a task on the caller's running loop, where
        // its dependents then run; it takes no coroutine and is not cancelled with the caller.
        return dispatched ? Stages.onCallersLoop(waiter) : waiter.copy();
    }

    /**
     * The waiting receive's own looks at the ring (see the class comment): a timer at a time, the
     * next one four times as far off as the last, up to {@link #MOST_LOOK_NANOS}; the receive's
     * completion cancels the one pending.
     */
    private final class LookAgain implements Runnable, BiConsumer<Object, Object> {
        private final CompletableFuture<Optional<T>> waiter;
        private long nanos = FIRST_LOOK_NANOS;
        private volatile @Nullable Job timer;

        LookAgain(CompletableFuture<Optional<T>> waiter) {
            this.waiter = waiter;
            waiter.whenComplete(this);
            schedule();
        }

        private void schedule() {
            Job next = ChannelOps.afterRealTime(nanos, this);
            timer = next;
            if (waiter.isDone()) {
                next.cancel(null); // served meanwhile: its completion may have cancelled the timer before
            }
        }

        @Override
        public void run() {
            if (!waiter.isDone()) {
                serve();
                if (!waiter.isDone()) {
                    nanos = nextLook(nanos);
                    schedule();
                }
            }
        }

        @Override
        public void accept(Object element, Object failure) {
            Job pending = timer;
            if (pending != null) {
                pending.cancel(null);
            }
        }
    }

    @Override
    public boolean put(T element) throws InterruptedException {
        @Nullable Object[] slots = tail.slots;
        int at = tail.at;
        if (at == slots.length - 1) { // the link: on to the array it leads to
            slots = linkedFrom(slots);
            at = 0;
            tail.slots = slots;
            tail.at = 0;
        }
        if (!hasRoom(slots, at)) {
            awaitRoom();
        }
        if (state == CANCELLED) {
            return false;
        }
        SLOT.setRelease(slots, at, element);
        tail.at = at + 1;
        boolean servedAReceive = waiting && serve();
        if (wakeConsumer() || servedAReceive) {
            consumerWoken = true;
        }
        if (state == CANCELLED) {
            // The cancel may have emptied the slots before this element landed; the producer's
            // close() empties them again in case this look came too early to see the cancel.
            dropElements();
            return false;
        }
        return true;
    }

    @Override
    public void close(@Nullable Throwable failure) {
        synchronized (lock) {
            if (state == CANCELLED) {
                dropElements(); // the producer's last put may have landed after the cancel
            }
            if (state != OPEN) {
                return;
            }
            // A producer ended by cancellation ends the sequence plainly, as a kotlinx channel does.
            this.failure = failure instanceof CancellationException ? null : failure;
            state = CLOSED;
        }
        if (waiting) {
            serve();
        }
        wakeConsumer();
    }

    @Override
    public void cancel() {
        List<CompletableFuture<Optional<T>>> ended;
        synchronized (lock) {
            state = CANCELLED;
            emptyFrom(head.slots);
            head.taken = 0;
            ended = new ArrayList<>(waiters);
            waiters.clear();
            waiting = false;
        }
        Thread producer = parkedProducer;
        if (producer != null) {
            LockSupport.unpark(producer);
        }
        wakeConsumer();
        ended.forEach(waiter -> waiter.complete(Optional.empty()));
    }

    /**
     * Unparks the consumer if it waits in {@link #takeWaiting()}; see {@link #unparkTakingOut}.
     *
     * @return whether a consumer was unparked
     */
    private boolean wakeConsumer() {
        return unparkTakingOut(PARKED_CONSUMER);
    }

    /**
     * Unparks the thread parked in the field {@code parked} names, taking it out of the field: the
     * next put (take) does not unpark it again unless it has parked again.
     *
     * @return whether a thread was unparked
     */
    private boolean unparkTakingOut(VarHandle parked) {
        if (parked.getVolatile(this) == null) {
            return false;
        }
        Thread thread = (Thread) parked.getAndSet(this, (Thread) null);
        if (thread == null) {
            return false;
        }
        LockSupport.unpark(thread);
        return true;
    }

    /** How long a sleeping side waits before its next look of its own, after one {@code nanos} long. */
    private static long nextLook(long nanos) {
        return Math.min(nanos * 4, MOST_LOOK_NANOS);
    }

    /**
     * The producer's: the array the link at the end of {@code slots} leads to. An array has no link
     * until the producer first comes to its end; the producer then links the next one (see the
     * class comment).
     */
    private @Nullable Object[] linkedFrom(@Nullable Object[] slots) {
        int end = slots.length - 1;
        Link link = (Link) slots[end]; // the producer's own write, or the constructor's
        if (link == null) {
            link = new Link(isClosing() ? Objects.requireNonNull(first) : newArray());
            SLOT.setRelease(slots, end, link); // after the new array's slots are null: the consumer may follow at once
        }
        return link.next;
    }

    /**
     * The producer's: a new array of {@value #ARRAY_SLOTS} slots, or of a bounded ring's slots
     * still to be allocated if they are fewer.
     */
    private @Nullable Object[] newArray() {
        int slots = ARRAY_SLOTS;
        if (capacity != 0) {
            slots = Math.min(unallocated, ARRAY_SLOTS);
            unallocated -= slots;
        }
        return new Object[slots + 1];
    }

    /** The producer's: whether the array it has just filled is a bounded ring's last, to be linked back to its first. */
    private boolean isClosing() {
        return capacity != 0 && unallocated == 0;
    }

    /** Whether slot {@code at} of {@code slots} is empty, so that the producer may put into it. */
    private static boolean hasRoom(@Nullable Object[] slots, int at) {
        return SLOT.getAcquire(slots, at) == null;
    }

    /**
     * Whether the producer's next {@code run} slots are empty (up to its array's last, if that comes
     * first), or the ring is cancelled: its wait for room is over. The next slot is looked at also
     * when the run is longer, since the last one can be empty before it: other takes go on past a
     * claim that still holds the next slot.
     */
    private boolean roomOrCancelled(int run) {
        @Nullable Object[] slots = tail.slots;
        int at = tail.at;
        return (hasRoom(slots, Math.min(at + run - 1, slots.length - 2)) && hasRoom(slots, at)) || state == CANCELLED;
    }

    /**
     * Whether a take might find an element or the end now; read without the lock, so only a hint
     * (a link at the head says yes: the take follows it and looks there).
     */
    private boolean mayTake() {
        return state != OPEN || SLOT.getAcquire(head.slots, head.at) != null;
    }

    /**
     * Waits until the producer's next slot is empty or the ring is cancelled: spinning first, until
     * {@code refill} slots are, then parked, looking again on its own as the class comment says.
     */
    private void awaitRoom() throws InterruptedException {
        boolean woke = consumerWoken;
        if (woke) {
            consumerWoken = false; // only then: the consumers read the fields beside it for every element
        }
        BooleanSupplier refilled = () -> roomOrCancelled(refill);
        if (woke ? ChannelOps.spinAfterWakingUntil(refilled) : ChannelOps.spinUntil(refilled)) {
            return;
        }
        Thread producer = Thread.currentThread();
        try {
            long nanos = FIRST_LOOK_NANOS;
            while (true) {
                // The take that unparks takes the producer out of the field, so that the takes after
                // it do not unpark again; so the producer puts itself back before each look.
                parkedProducer = producer;
                synchronized (lock) {
                    emptyTaken(); // the run so far; with parkedProducer set first, every later take empties its own slot
                }
                if (roomOrCancelled(1)) { // after parkedProducer is set, so that a take that makes room unparks
                    return;
                }
                LockSupport.parkNanos(this, nanos);
                if (Thread.interrupted()) {
                    throw new InterruptedException("the generator's producer was interrupted while its buffer was full");
                }
                nanos = nextLook(nanos);
            }
        } finally {
            parkedProducer = null;
        }
    }

    /** Under the lock: takes the next element, or gives the end, or null if the ring is empty and open. */
    @SuppressWarnings("unchecked") // only the producer's elements are put in the slots
    private @Nullable Optional<T> takeLocked() {
        int now = state; // before the slot: once the end is seen, every element put before it is too
        Object element = now == CANCELLED ? null : headElement();
        if (element != null) {
            moveOn();
            return Optional.of((T) element);
        }
        if (now == OPEN) {
            return null;
        }
        emptyTaken(); // the end: the ring keeps none of the elements taken before it
        Throwable cause = failure;
        if (now == CLOSED && cause != null) {
            throw Pull.<RuntimeException>rethrow(cause);
        }
        return Optional.empty();
    }

    /**
     * Hands the elements there are, and then the end if the sequence has ended, to the waiting
     * receives, oldest first, each taken as a {@link #poll()} would take it. The waiters are
     * completed after the lock is let go, so that nothing that depends on them runs under it.
     *
     * @return whether any receive was served
     */
    private boolean serve() {
        List<CompletableFuture<Optional<T>>> served = new ArrayList<>(2);
        List<Optional<T>> taken = new ArrayList<>(2); // for the first served; the rest get the failure
        @Nullable Throwable failed = null;
        synchronized (lock) {
            while (!waiters.isEmpty()) {
                Optional<T> next;
                try {
                    next = takeLocked();
                } catch (Throwable producerFailure) { // the end with a failure: every waiter gets it
                    failed = producerFailure;
                    served.addAll(waiters);
                    waiters.clear();
                    break;
                }
                if (next == null) {
                    break;
                }
                served.add(waiters.poll());
                taken.add(next);
            }
            waiting = !waiters.isEmpty();
        }
        for (int i = 0; i < served.size(); i++) {
            if (i < taken.size()) {
                served.get(i).complete(taken.get(i));
            } else {
                served.get(i).completeExceptionally(failed);
            }
        }
        return !served.isEmpty();
    }

    /**
     * Under the lock: what the head slot holds, null if it is empty or still claimed; a link there
     * moves the head on first.
     */
    private @Nullable Object headElement() {
        if (isClaimed(head.position)) {
            return null;
        }
        Object element = SLOT.getAcquire(head.slots, head.at);
        if (element instanceof Link link) {
            emptyTaken(); // the slots taken lie in the array the head leaves
            head.slots = link.next;
            head.at = 0;
            element = SLOT.getAcquire(head.slots, 0);
        }
        return element;
    }

    /**
     * Under the lock: whether the slot of element number {@code position} holds an element that
     * {@link #forEachReady} claimed and has not handed over yet. The head of a bounded ring comes
     * round to those slots if the producer and other takes fill and empty all the others meanwhile
     * (its action is slow, say); the claimed elements are there a lap before the head.
     */
    private boolean isClaimed(long position) {
        long lap = position - capacity;
        return capacity != 0 && lap < head.claimEnd && lap >= (long) HANDED.getAcquire(head);
    }

    /**
     * Under the lock: moves the head past the element just taken, whose slot stays full until the
     * end of its run, or until the producer waits, when it and the rest of the run are emptied at
     * once and the producer woken (see the class comment).
     */
    private void moveOn() {
        int at = head.at + 1;
        head.at = at;
        head.position++;
        head.taken++;
        if (at % run == 0 || parkedProducer != null) {
            emptyTaken();
            wakeProducer();
        }
    }

    /**
     * Under the lock: empties the slots of the elements taken since the last time, which lie just
     * before the head in its array (the head empties them before it follows a link).
     */
    private void emptyTaken() {
        int at = head.at;
        for (int slot = at - head.taken; slot < at; slot++) {
            SLOT.setRelease(head.slots, slot, null);
        }
        head.taken = 0;
    }

    /**
     * After a cancel, for the producer: empties again every slot from the head on, and its own
     * array, where its last put may have landed after the cancel had emptied them.
     */
    private void dropElements() {
        synchronized (lock) {
            emptyFrom(head.slots);
            emptyFrom(tail.slots);
        }
    }

    /**
     * Under the lock: empties the slots of {@code slots} and of the arrays it links to, round to
     * {@code slots} again or to an array with no link yet. An unbounded ring's links are cut on the
     * way, so that the arrays past the head are garbage; a bounded ring keeps its links, which its
     * producer may still follow.
     */
    private void emptyFrom(@Nullable Object[] slots) {
        @Nullable Object[] at = slots;
        while (true) {
            int end = at.length - 1;
            Arrays.fill(at, 0, end, null);
            Link link = (Link) SLOT.getAcquire(at, end);
            if (link == null || link.next == slots) {
                return;
            }
            if (capacity == 0) {
                SLOT.setRelease(at, end, null);
            }
            at = link.next;
        }
    }

    /**
     * Unparks the producer if it waits for room (it also looks again on its own; see the class
     * comment); see {@link #unparkTakingOut}.
     */
    private void wakeProducer() {
        if (unparkTakingOut(PARKED_PRODUCER)) {
            producerWoken = true;
        }
    }

    @Override
    public String toString() {
        return "RingBuffer[" + (capacity == 0 ? "unbounded" : capacity + " slots") + ", "
                + (state == OPEN ? "open" : state == CLOSED ? "closed" : "cancelled") + "]";
    }

    /** What the place after an array's last slot holds: the array each side goes on with. */
    private static final class Link {
        final @Nullable Object[] next;

        Link(@Nullable Object[] next) {
            this.next = next;
        }
    }

    /** A position on cache lines of its own: the fields of its superclass and its own pad it on both sides. */
    private static final class Cursor extends CursorValue {
        long after1;
        long after2;
        long after3;
        long after4;
        long after5;
        long after6;
        long after7;
    }

    private abstract static class CursorValue extends CursorPadding {
        /** The array of the slot this side goes to next. */
        @Nullable Object[] slots;
        /** The slot this side goes to next, in {@code slots}; at its end, the place of the link on. */
        int at;
        /** The head's: the number of the element it takes next, counting from 0 (the tail leaves it at 0). */
        long position;
        /** The head's, under the lock: how many of the slots just before it hold elements taken already; see the class comment. */
        int taken;
        /** The head's, under the lock: the number after the last element of the latest claim of {@link RingBuffer#forEachReady}. */
        long claimEnd;
        /**
         * The head's: the number of the first element of that claim not handed over yet; once it is
         * {@code claimEnd} the claim is over. Written by the claiming consumer outside the lock.
         */
        long handed;
    }

    private abstract static class CursorPadding {
        long before1;
        long before2;
        long before3;
        long before4;
        long before5;
        long before6;
        long before7;
    }
}
