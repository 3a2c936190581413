package dev.corobridge.benchmarks;

import dev.corobridge.Coroutines;
import dev.corobridge.Task;
import dev.corobridge.benchmarks.peers.NativeKotlinx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * B5: a task group of n children, gathered. "completed": each child's value is there at once;
 * "pending": each child awaits a future that is completed from outside once all have started.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GatherBenchmark {
    @Param({"10", "1000", "100000"})
    public int n;

    @Param({"completed", "pending"})
    public String mode;

    private List<CompletableFuture<Integer>> pendingFutures() {
        List<CompletableFuture<Integer>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            futures.add(new CompletableFuture<>());
        }
        return futures;
    }

    private static void completeAll(List<CompletableFuture<Integer>> futures) {
        for (int i = 0; i < futures.size(); i++) {
            futures.get(i).complete(i);
        }
    }

    /** corobridge: taskGroup + scope.async children + gather. */
    @Benchmark
    public int corobridgeTaskGroup() {
        if (mode.equals("completed")) {
            return Coroutines.taskGroup(scope -> {
                List<Task<Integer>> children = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int value = i;
                    children.add(scope.async(() -> CompletableFuture.completedFuture(value)));
                }
                return Coroutines.gather(children);
            }).join().size();
        }
        List<CompletableFuture<Integer>> futures = pendingFutures();
        return Coroutines.taskGroup(scope -> {
            List<Task<Integer>> children = new ArrayList<>(n);
            for (CompletableFuture<Integer> future : futures) {
                children.add(scope.async(() -> future));
            }
            completeAll(futures);
            return Coroutines.gather(children);
        }).join().size();
    }

    /** Native kotlinx: coroutineScope { List(n) { async { ... } }.awaitAll() }. */
    @Benchmark
    public int nativeAwaitAll() {
        if (mode.equals("completed")) {
            return NativeKotlinx.awaitAllCompleted(n);
        }
        List<CompletableFuture<Integer>> futures = pendingFutures();
        return NativeKotlinx.awaitAllPending(futures, () -> completeAll(futures));
    }

    /** The JDK: CompletableFuture.allOf over the same futures (no tasks, no cancellation). */
    @Benchmark
    public int jdkAllOf() {
        List<CompletableFuture<Integer>> futures = new ArrayList<>(n);
        if (mode.equals("completed")) {
            for (int i = 0; i < n; i++) {
                futures.add(CompletableFuture.completedFuture(i));
            }
        } else {
            futures = pendingFutures();
            CompletableFuture<Void> all = CompletableFuture.allOf(futures.toArray(CompletableFuture<?>[]::new));
            completeAll(futures);
            all.join();
            return futures.size();
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture<?>[]::new)).join();
        return futures.size();
    }

    /** Reactor: Flux.merge of n Monos, collected. */
    @Benchmark
    public int reactorMerge() {
        if (mode.equals("completed")) {
            return Flux.range(0, n).flatMap(Mono::just).collectList().block().size();
        }
        List<CompletableFuture<Integer>> futures = pendingFutures();
        // Reactor's default flatMap concurrency (256); asking for n = 100,000 inner subscribers at once
        // is pathological in Reactor (over a minute per operation), not what a Reactor user writes.
        Mono<List<Integer>> merged = Flux.fromIterable(futures).flatMap(Mono::fromFuture).collectList();
        CompletableFuture<List<Integer>> result = merged.toFuture();
        completeAll(futures);
        return result.join().size();
    }
}
