package dev.corobridge.benchmarks;

import dev.corobridge.AsyncSemaphore;
import dev.corobridge.Calls;
import dev.corobridge.Coroutines;
import dev.corobridge.Task;
import dev.corobridge.benchmarks.peers.NativeKotlinx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * B1 (seed 000): 100,000 calls of a simulated I/O operation with at most {@code inFlight} at
 * once. Wall time per 100,000 calls. The ideal for 1 ms is ceil(100,000 / inFlight) ms.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ManyCallsBenchmark {
    static final int CALLS = 100_000;

    @Param({"16", "256", "1000"})
    public int inFlight;

    @Param({"0", "1"})
    public int latencyMillis;

    private IntFunction<CompletableFuture<Integer>> io;
    private List<Integer> inputs;
    private ExecutorService virtualThreads;

    @Setup(Level.Trial)
    public void start() {
        io = SimulatedIo.call(latencyMillis);
        inputs = IntStream.range(0, CALLS).boxed().toList();
        virtualThreads = VirtualThreads.perTask();
    }

    @TearDown(Level.Trial)
    public void stop() {
        virtualThreads.shutdown();
    }

    /** corobridge: Calls.over(inputs).concurrency(n).map(io), inputs pulled lazily. */
    @Benchmark
    public int corobridgeCalls() {
        return Calls.over(inputs).concurrency(inFlight).map(io::apply).join().size();
    }

    /** corobridge by hand: AsyncSemaphore.withPermit per call, all gathered (every task created up front). */
    @Benchmark
    public int corobridgeSemaphoreGather() {
        AsyncSemaphore slots = AsyncSemaphore.of(inFlight);
        List<Task<Integer>> calls = new ArrayList<>(CALLS);
        for (int i = 0; i < CALLS; i++) {
            int input = i;
            calls.add(slots.withPermit(() -> io.apply(input)));
        }
        return Coroutines.gather(calls).join().size();
    }

    /** Native kotlinx: Semaphore + async + awaitAll. */
    @Benchmark
    public int nativeSemaphoreAwaitAll() {
        return NativeKotlinx.manyCalls(CALLS, inFlight, io);
    }

    /** The JDK: a virtual thread per call and a java.util.concurrent.Semaphore. */
    @Benchmark
    public int jdkVirtualThreadsSemaphore() throws Exception {
        Semaphore slots = new Semaphore(inFlight);
        List<Future<Integer>> answers = new ArrayList<>(CALLS);
        for (int i = 0; i < CALLS; i++) {
            int input = i;
            answers.add(virtualThreads.submit(() -> {
                slots.acquire();
                try {
                    return io.apply(input).get();
                } finally {
                    slots.release();
                }
            }));
        }
        for (Future<Integer> answer : answers) {
            answer.get();
        }
        return answers.size();
    }

    /** Reactor: Flux.flatMap with concurrency n. */
    @Benchmark
    public long reactorFlatMap() {
        return Flux.range(0, CALLS).flatMap(i -> Mono.fromFuture(io.apply(i)), inFlight).count().block();
    }
}
