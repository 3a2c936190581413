package dev.corobridge.benchmarks;

import dev.corobridge.Generator;
import dev.corobridge.benchmarks.peers.NativeKotlinx;
import java.util.Iterator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
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

/**
 * B4 with the producer the slower side, as producers that parse, compute or call out are: before
 * each of its n integers it works for {@code workMicros} (a spin; {@link NativeKotlinx#work}), and
 * the consumer, which only sums, waits for every element. {@link ChannelBenchmark}'s producer is
 * the faster side, so its consumer hardly ever waits; here what each peer pays is its wait and its
 * wake-up, on top of n × {@code workMicros} of work (10,000 × 50 µs = 500 ms).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SlowProducerBenchmark {
    @Param({"10000"})
    public int n;

    /** Longer than the consumer's spin before it sleeps (20 µs), so that it sleeps for each element. */
    @Param({"50"})
    public int workMicros;

    @Param({"16"})
    public int capacity;

    private ExecutorService virtualThreads;

    @Setup(Level.Trial)
    public void start() {
        virtualThreads = VirtualThreads.perTask();
    }

    @TearDown(Level.Trial)
    public void stop() {
        virtualThreads.shutdown();
    }

    /** corobridge: Generator.of(capacity, ...) consumed with its blocking iterator. */
    @Benchmark
    public long corobridgeGeneratorIterator() {
        long workNanos = TimeUnit.MICROSECONDS.toNanos(workMicros);
        long sum = 0;
        try (Generator<Integer> numbers = Generator.of(capacity, yielder -> {
            for (int i = 0; i < n; i++) {
                NativeKotlinx.work(workNanos);
                yielder.yield(i);
            }
        })) {
            for (Iterator<Integer> elements = numbers.iterator(); elements.hasNext(); ) {
                sum += elements.next();
            }
        }
        return sum;
    }

    /** Native kotlinx: a producer coroutine and a for loop over the Channel. */
    @Benchmark
    public long nativeChannel() {
        return NativeKotlinx.slowChannelSum(n, capacity, TimeUnit.MICROSECONDS.toNanos(workMicros));
    }

    /** The JDK: a virtual-thread producer and an ArrayBlockingQueue. */
    @Benchmark
    public long jdkQueueOnVirtualThreads() throws Exception {
        return ChannelBenchmark.sumThroughQueue(virtualThreads, new ArrayBlockingQueue<>(capacity), n,
                TimeUnit.MICROSECONDS.toNanos(workMicros));
    }
}
