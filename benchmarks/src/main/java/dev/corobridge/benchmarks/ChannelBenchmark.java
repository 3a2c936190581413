package dev.corobridge.benchmarks;

import dev.corobridge.AsyncChannel;
import dev.corobridge.Generator;
import dev.corobridge.benchmarks.peers.NativeKotlinx;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import kotlinx.coroutines.channels.Channel;
import org.jctools.queues.SpscArrayQueue;
import org.jctools.queues.SpscUnboundedArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;

/**
 * B4: a producer hands n integers to a consumer that sums them, through a channel of the given
 * capacity ("0" rendezvous, "-1" unlimited). corobridge's side is a {@link Generator} consumed
 * with {@code forEach} and with its iterator, the two consumptions the target names, and
 * an {@link AsyncChannel} consumed with its iterator.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ChannelBenchmark {
    /**
     * Retries an emission while the sink's buffer is full: {@code Sinks} has no blocking emit, and
     * Reactor's own {@code busyLooping} handler retries only a concurrent emission, not a full buffer.
     */
    private static final Sinks.EmitFailureHandler WHILE_FULL = (signal, result) -> {
        Thread.onSpinWait();
        return result == Sinks.EmitResult.FAIL_OVERFLOW || result == Sinks.EmitResult.FAIL_NON_SERIALIZED;
    };

    /** The 1,000,000; the quick profile of {@code run.sh} sets 100,000. */
    @Param({"1000000"})
    public int n;

    @Param({"0", "16", "64", "-1"})
    public int capacity;

    private ExecutorService virtualThreads;
    private Scheduler reactorThread;

    @Setup(Level.Trial)
    public void start() {
        virtualThreads = VirtualThreads.perTask();
        reactorThread = Schedulers.newSingle("reactor-producer");
    }

    @TearDown(Level.Trial)
    public void stop() {
        virtualThreads.shutdown();
        reactorThread.dispose();
    }

    /** corobridge: Generator.of(capacity, ...) consumed with forEach. */
    @Benchmark
    public long corobridgeGenerator() {
        long[] sum = {0}; // the action runs on this thread, as the iterator's loop does
        counting().forEach(element -> sum[0] += element);
        return sum[0];
    }

    /** corobridge: Generator.of(capacity, ...) consumed with its blocking iterator. */
    @Benchmark
    public long corobridgeGeneratorIterator() {
        long sum = 0;
        try (Generator<Integer> numbers = counting()) {
            for (Iterator<Integer> elements = numbers.iterator(); elements.hasNext(); ) {
                sum += elements.next();
            }
        }
        return sum;
    }

    /** A generator of 0 to n - 1 with the benchmark's buffer. */
    private Generator<Integer> counting() {
        return Generator.of(capacity < 0 ? Channel.UNLIMITED : capacity, yielder -> {
            for (int i = 0; i < n; i++) {
                yielder.yield(i);
            }
        });
    }

    /**
     * corobridge's channel, sent to the asynchronous way: each {@code send} of 0 to n - 1 composed
     * on the one before ({@link Sequence}), so that a send that must wait goes on where the channel
     * takes its element; consumed on this thread with the channel's blocking iterator.
     */
    @Benchmark
    public long corobridgeChannelIterator() {
        AsyncChannel<Integer> channel = newAsyncChannel();
        int[] next = {0};
        CompletableFuture<Void> producer = Sequence.repeat(n, () -> channel.send(next[0]++));
        producer.whenComplete((done, failure) -> channel.close());
        long sum = 0;
        for (Iterator<Integer> elements = channel.iterator(); elements.hasNext(); ) {
            sum += elements.next();
        }
        producer.join();
        return sum;
    }

    /**
     * corobridge's channel sent to from a blocking body: a virtual thread puts each element
     * ({@link AsyncChannel#put}), as the JDK peer's producer does into its queue; consumed as above.
     */
    @Benchmark
    public long corobridgeChannelBlockingSender() throws Exception {
        AsyncChannel<Integer> channel = newAsyncChannel();
        Future<?> producer = virtualThreads.submit(() -> {
            for (int i = 0; i < n; i++) {
                channel.put(i);
            }
            channel.close();
            return null;
        });
        long sum = 0;
        for (Iterator<Integer> elements = channel.iterator(); elements.hasNext(); ) {
            sum += elements.next();
        }
        producer.get();
        return sum;
    }

    private AsyncChannel<Integer> newAsyncChannel() {
        return capacity == 0 ? AsyncChannel.rendezvous()
                : capacity < 0 ? AsyncChannel.unlimited() : AsyncChannel.buffered(capacity);
    }

    /** Native kotlinx: a producer coroutine and a for loop over the Channel. */
    @Benchmark
    public long nativeChannel() {
        return NativeKotlinx.channelSum(n, capacity < 0 ? Channel.UNLIMITED : capacity);
    }

    /** The JDK: a virtual-thread producer and a blocking queue (SynchronousQueue for rendezvous). */
    @Benchmark
    public long jdkQueueOnVirtualThreads() throws Exception {
        BlockingQueue<Integer> queue = capacity == 0 ? new SynchronousQueue<>()
                : capacity < 0 ? new LinkedBlockingQueue<>() : new ArrayBlockingQueue<>(capacity);
        return sumThroughQueue(virtualThreads, queue, n, 0);
    }

    /**
     * The JDK peers' hand-over: a virtual thread puts 0 to n - 1 into {@code queue}, each after
     * {@code workNanos} of {@link NativeKotlinx#work} (none for 0), and this thread takes and sums them.
     */
    static long sumThroughQueue(ExecutorService virtualThreads, BlockingQueue<Integer> queue, int n, long workNanos)
            throws Exception {
        Future<?> producer = virtualThreads.submit(() -> {
            for (int i = 0; i < n; i++) {
                if (workNanos > 0) {
                    NativeKotlinx.work(workNanos);
                }
                queue.put(i);
            }
            return null;
        });
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += queue.take();
        }
        producer.get();
        return sum;
    }

    /**
     * Not a peer but a reference line, the machine's own price of a hand-off: n round trips of one
     * counter between this thread and a platform thread, each spinning until it is its turn, so
     * that the counter's cache line crosses between two cores twice per trip. It does not depend on
     * {@code capacity}. On this machine, two virtual CPUs of a KVM guest, the same code takes about
     * 90 ns a trip in some periods and about 345 ns in others (ANALYSIS.md, B4): a slow stretch of
     * any two-thread peer in this table is worth reading against this line.
     */
    @Benchmark
    public long coreToCoreRoundTrips() throws InterruptedException {
        AtomicInteger turn = new AtomicInteger();
        Thread partner = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                while (turn.get() != 2 * i + 1) {
                    Thread.onSpinWait();
                }
                turn.set(2 * i + 2);
            }
        });
        partner.start();
        for (int i = 0; i < n; i++) {
            turn.set(2 * i + 1);
            while (turn.get() != 2 * i + 2) {
                Thread.onSpinWait();
            }
        }
        partner.join();
        return turn.get();
    }

    /**
     * Not a peer but a reference line: two threads handing n elements over through nothing but a
     * ring, as a generator's producer (a blocking body on a thread of its own, DESIGN.md) and its
     * consumer do. A virtual-thread producer and this thread share JCTools' single-producer
     * single-consumer array queue of {@code capacity} slots (for rendezvous its least, four; for
     * unlimited, chunks of 1,024), each side spinning while it is full or empty, never parking.
     */
    @Benchmark
    public long twoThreadFloor() throws Exception {
        Queue<Integer> queue = capacity < 0 ? new SpscUnboundedArrayQueue<>(1_024) : new SpscArrayQueue<>(Math.max(1, capacity));
        Future<?> producer = virtualThreads.submit(() -> {
            for (int i = 0; i < n; i++) {
                Integer element = i;
                while (!queue.offer(element)) {
                    Thread.onSpinWait();
                }
            }
        });
        long sum = 0;
        for (int i = 0; i < n; i++) {
            Integer element;
            while ((element = queue.poll()) == null) {
                Thread.onSpinWait();
            }
            sum += element;
        }
        producer.get();
        return sum;
    }

    /**
     * Reactor: a producer thread emits into a unicast {@code Sinks.Many} whose queue holds
     * {@code capacity} elements (one for rendezvous, which Reactor does not have), retrying while it
     * is full; the consumer iterates its {@code Flux} on this thread, asking for one element at a time.
     */
    @Benchmark
    public long reactorSinks() {
        Supplier<Queue<Integer>> buffer = capacity < 0 ? Queues.unbounded() : capacity == 0 ? Queues.one() : Queues.get(capacity);
        Sinks.Many<Integer> sink = Sinks.many().unicast().onBackpressureBuffer(buffer.get());
        reactorThread.schedule(() -> {
            for (int i = 0; i < n; i++) {
                sink.emitNext(i, WHILE_FULL);
            }
            sink.emitComplete(WHILE_FULL);
        });
        long sum = 0;
        for (int element : sink.asFlux().toIterable(1)) {
            sum += element;
        }
        return sum;
    }
}
