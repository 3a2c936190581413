package dev.corobridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.NoLeaks;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kotlin.Unit;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.CoroutineScopeKt;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.Deferred;
import kotlinx.coroutines.DelayKt;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.Job;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowKt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class KotlinInteropTest {

    @Test
    void callsASuspendingKotlinFunction() throws Exception {
        Task<Unit> nap = Coroutines.call(c -> DelayKt.delay(5, c));

        assertSame(Unit.INSTANCE, nap.get(5, TimeUnit.SECONDS));
    }

    @Test
    void callsASuspendFunctionThatReturnsWithoutSuspending() throws Exception {
        Flow<Integer> numbers = FlowKt.flowOf(1, 2, 3);

        Task<Integer> first = Coroutines.call(c -> FlowKt.first(numbers, c));

        assertEquals(1, first.get(5, TimeUnit.SECONDS));
    }

    @Test
    void callsFlowFirstOnAFlowThatSuspends() throws Exception {
        Flow<Integer> later = FlowKt.onStart(FlowKt.flowOf(7, 8), (collector, c) -> DelayKt.delay(5, c));

        Task<Integer> first = Coroutines.call(c -> FlowKt.first(later, c));

        assertEquals(7, first.get(5, TimeUnit.SECONDS));
    }

    @Test
    void anExceptionThrownByTheCallFailsTheTaskAsItIs() {
        IOException failure = new IOException("no such user");

        Task<String> task = Coroutines.call(c -> {
            throw failure;
        });

        ExecutionException thrown = assertThrows(ExecutionException.class, () -> task.get(5, TimeUnit.SECONDS));
        assertSame(failure, thrown.getCause());
    }

    @Test
    void cancellingTheTaskCancelsTheSuspendFunction() throws Exception {
        Task<Unit> nap = Coroutines.call(c -> DelayKt.delay(TimeUnit.DAYS.toMillis(1), c));

        nap.cancelAndJoin().get(5, TimeUnit.SECONDS);

        assertTrue(nap.isCancelled());
    }

    @Test
    void javaImplementsASuspendLambdaWithSuspendAwait() throws Exception {
        Flow<Integer> doubled = FlowKt.map(FlowKt.flowOf(1, 2, 3),
                (value, c) -> Suspend.await(Coroutines.sleep(java.time.Duration.ofMillis(1)).thenApply(ignored -> value * 2), c));

        Task<List<? extends Integer>> values = Coroutines.call(c -> FlowKt.<Integer>toList(doubled, new ArrayList<>(), c));

        assertEquals(List.of(2, 4, 6), values.get(5, TimeUnit.SECONDS));
    }

    @Test
    void suspendAwaitReturnsAtOnceForACompletedStage() throws Exception {
        Flow<String> mapped = FlowKt.map(FlowKt.flowOf("a"),
                (value, c) -> Suspend.await(CompletableFuture.completedFuture(value + "!"), c));

        Task<String> first = Coroutines.call(c -> FlowKt.first(mapped, c));

        assertEquals("a!", first.get(5, TimeUnit.SECONDS));
    }

    @Test
    void suspendAwaitRethrowsTheStagesOriginalException() {
        IOException failure = new IOException("offline");
        Flow<String> mapped = FlowKt.map(FlowKt.flowOf("a"),
                (value, c) -> Suspend.await(CompletableFuture.<String>failedFuture(failure), c));

        Task<String> first = Coroutines.call(c -> FlowKt.first(mapped, c));

        ExecutionException thrown = assertThrows(ExecutionException.class, () -> first.get(5, TimeUnit.SECONDS));
        assertSame(failure, thrown.getCause());
    }

    @Test
    void cancellingTheKotlinCoroutineCancelsTheStageSuspendAwaitWaitsFor() throws Exception {
        CompletableFuture<String> request = new CompletableFuture<>();
        java.util.concurrent.CountDownLatch awaiting = new java.util.concurrent.CountDownLatch(1);
        Flow<String> mapped = FlowKt.map(FlowKt.flowOf("a"), (value, c) -> {
            awaiting.countDown();
            return Suspend.await(request, c);
        });
        Task<String> first = Coroutines.call(c -> FlowKt.first(mapped, c));
        assertTrue(awaiting.await(5, TimeUnit.SECONDS));

        first.cancelAndJoin().get(5, TimeUnit.SECONDS);

        assertTrue(request.isCancelled());
    }

    @Test
    void adoptsAKotlinDeferredAsATask() throws Exception {
        CoroutineScope kotlin = CoroutineScopeKt.CoroutineScope(Dispatchers.getDefault());
        Deferred<String> deferred = BuildersKt.async(kotlin, Dispatchers.getDefault(), CoroutineStart.DEFAULT,
                (scope, c) -> "from kotlin");

        Task<String> task = Task.from(deferred);

        assertEquals("from kotlin", task.get(5, TimeUnit.SECONDS));
        CoroutineScopeKt.cancel(kotlin, null);
    }

    @Test
    void cancellingAnAdoptedJobCancelsIt() throws Exception {
        CoroutineScope kotlin = CoroutineScopeKt.CoroutineScope(Dispatchers.getDefault());
        Job job = BuildersKt.launch(kotlin, Dispatchers.getDefault(), CoroutineStart.DEFAULT,
                (scope, c) -> DelayKt.delay(TimeUnit.DAYS.toMillis(1), c));
        Task<Void> task = Task.from(job);

        task.cancelAndJoin().get(5, TimeUnit.SECONDS);

        assertTrue(job.isCancelled());
        CoroutineScopeKt.cancel(kotlin, null);
    }

    @Test
    void aTaskScopeFromAKotlinScopeStartsItsChildren() throws Exception {
        CoroutineScope kotlin = CoroutineScopeKt.CoroutineScope(Dispatchers.getDefault());
        TaskScope scope = TaskScope.from(kotlin);
        Task<Unit> child = scope.call(c -> DelayKt.delay(TimeUnit.DAYS.toMillis(1), c));

        CoroutineScopeKt.cancel(kotlin, null);

        scope.join().get(5, TimeUnit.SECONDS);
        assertTrue(child.isCancelled(), "the child belongs to the Kotlin scope and is cancelled with it");
        assertTrue(CoroutineScopeKt.isActive(scope.asKotlin()) == false);
    }
}
