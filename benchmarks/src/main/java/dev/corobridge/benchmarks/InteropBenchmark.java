package dev.corobridge.benchmarks;

import dev.corobridge.Coroutines;
import dev.corobridge.Suspend;
import dev.corobridge.benchmarks.peers.KotlinValueSource;
import dev.corobridge.benchmarks.peers.NativeKotlinx;
import dev.corobridge.benchmarks.peers.ValueSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kotlin.coroutines.Continuation;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * B7: the interop round trips. Calling a suspend function from Java ({@code Coroutines.call}
 * against kotlinx's own {@code future { }}), and a Kotlin coroutine calling a suspend function
 * that Java implements with {@code Suspend.await} (against a Kotlin implementation using
 * kotlinx's {@code CompletionStage.await}), with the future already complete or completed later.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InteropBenchmark {
    private static final int CALLS = 1_000;
    private static final CompletableFuture<Integer> DONE = CompletableFuture.completedFuture(1);

    /** Java implementing the Kotlin interface with Suspend.await. */
    static final class JavaValueSource implements ValueSource {
        private final boolean pending;

        JavaValueSource(boolean pending) {
            this.pending = pending;
        }

        @Override
        public @Nullable Object value(Continuation<? super Integer> continuation) {
            return Suspend.await(pending ? completedLater() : DONE, continuation);
        }
    }

    /** A future that another thread completes: the await really suspends. */
    static CompletableFuture<Integer> completedLater() {
        return CompletableFuture.supplyAsync(() -> 1);
    }

    private int x;

    /** corobridge: Coroutines.call of a suspend function, joined. */
    @Benchmark
    public int corobridgeCall() {
        return Coroutines.<Integer>call(c -> NativeKotlinx.plusOne(++x, c)).join();
    }

    /** Native kotlinx: GlobalScope.future { plusOne(x) }, joined. */
    @Benchmark
    public int nativeFuture() {
        return NativeKotlinx.plusOneFuture(++x).join();
    }

    /** Suspend.await of a completed future, per call. */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long corobridgeSuspendAwaitCompleted() {
        return NativeKotlinx.sumFrom(new JavaValueSource(false), CALLS);
    }

    /** kotlinx's CompletionStage.await of a completed future, per call. */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long nativeAwaitCompleted() {
        return NativeKotlinx.sumFrom(new KotlinValueSource(() -> DONE), CALLS);
    }

    /** Suspend.await of a future completed by another thread, per call. */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long corobridgeSuspendAwaitPending() {
        return NativeKotlinx.sumFrom(new JavaValueSource(true), CALLS);
    }

    /** kotlinx's CompletionStage.await of a future completed by another thread, per call. */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long nativeAwaitPending() {
        return NativeKotlinx.sumFrom(new KotlinValueSource(InteropBenchmark::completedLater), CALLS);
    }
}
