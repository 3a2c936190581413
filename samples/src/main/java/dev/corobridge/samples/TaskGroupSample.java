package dev.corobridge.samples;

import dev.corobridge.Coroutines;
import dev.corobridge.Outcome;
import dev.corobridge.Task;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/*
 * Seed 001: "gather is not that great at error handling ... TaskGroup has inherent error
 * handling: if one fn has an error, it automatically cancels all other tasks."
 *
 * What to notice:
 *  - gatherSettled (gather with return_exceptions=True) of independent tasks (Coroutines.async,
 *    asyncio's create_task): one delivery fails, the others carry on, every outcome is reported.
 *  - taskGroup: the failure cancels the two other deliveries at once; the group fails with the
 *    real cause (IOException), not with a CancellationException.
 *  - supervisor: the failure stays on its own task; the siblings finish.
 */
final class TaskGroupSample implements Sample {

    record Result(List<Outcome<String>> settled, Throwable groupFailure, List<Boolean> groupCancelled,
            List<String> supervised) {}

    @Override
    public String name() {
        return "taskgroup";
    }

    @Override
    public String title() {
        return "TaskGroup vs gather when one task fails; supervisor (seed 001)";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        demonstrate(out);
    }

    static Result demonstrate(PrintStream out) throws Exception {
        List<Outcome<String>> settled = Coroutines.run(scope -> Coroutines.gatherSettled(List.of(
                Coroutines.async(() -> deliver("north", 100)),
                Coroutines.async(() -> deliver("broken", 20)),
                Coroutines.async(() -> deliver("south", 100)))));
        out.println("gatherSettled: " + settled);

        Task<String>[] siblings = newTasks(2);
        Task<Void> group = Coroutines.taskGroup(scope -> {
            siblings[0] = scope.async(() -> deliver("north", 1_000));
            siblings[1] = scope.async(() -> deliver("south", 1_000));
            scope.async(() -> deliver("broken", 20));
            return CompletableFuture.completedFuture(null);
        });
        Throwable groupFailure = failureOf(group);
        List<Boolean> cancelled = List.of(siblings[0].isCancelled(), siblings[1].isCancelled());
        out.println("taskGroup failed with " + groupFailure + "; siblings cancelled: " + cancelled);

        List<String> supervised = Coroutines.supervisor(scope -> {
            Task<String> broken = scope.async(() -> deliver("broken", 20));
            Task<String> north = scope.async(() -> deliver("north", 100));
            return broken.handle((value, failure) -> "broken: " + failure.getClass().getSimpleName())
                    .thenCombine(north, (first, second) -> List.of(first, second));
        }).get();
        out.println("supervisor: " + supervised);
        return new Result(settled, groupFailure, cancelled, supervised);
    }

    private static CompletableFuture<String> deliver(String route, long millis) {
        return Coroutines.sleep(Duration.ofMillis(millis)).thenCompose(ignored -> route.equals("broken")
                ? CompletableFuture.failedFuture(new IOException("van broke down"))
                : CompletableFuture.completedFuture(route + " delivered"));
    }

    private static Throwable failureOf(Task<?> task) throws InterruptedException {
        try {
            task.get();
            throw new AssertionError("the group was expected to fail");
        } catch (ExecutionException failed) {
            return failed.getCause();
        }
    }

    @SuppressWarnings("unchecked") // an array of tasks filled in by the group's body
    private static Task<String>[] newTasks(int size) {
        return (Task<String>[]) new Task<?>[size];
    }
}
