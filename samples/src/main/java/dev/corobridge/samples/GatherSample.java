package dev.corobridge.samples;

import dev.corobridge.Coroutines;
import dev.corobridge.Task;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/*
 * Seeds 000, 001 and 003: asyncio.create_task and asyncio.gather.
 *
 * What to notice:
 *  - scope.async(...) is create_task: the three calls start at once, on one thread.
 *  - They finish in a different order than they were started (watch "done" lines),
 *    yet gather returns the results in input order.
 *  - The whole run takes about as long as the slowest call (300 ms), not the sum (600 ms).
 *  - The Python asyncio version runs side by side when python3 is installed.
 */
final class GatherSample implements Sample {

    record Result(List<String> results, Duration elapsed) {}

    @Override
    public String name() {
        return "gather";
    }

    @Override
    public String title() {
        return "create_task and gather: concurrent calls, results in input order (seeds 000, 001, 003)";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        demonstrate(out);
        PythonSideBySide.run(out, "gather.py");
    }

    static Result demonstrate(PrintStream out) throws Exception {
        long start = System.nanoTime();
        List<String> results = Coroutines.run(scope -> {
            Task<String> slow = scope.async(() -> call(out, "slow", 300));
            Task<String> medium = scope.async(() -> call(out, "medium", 200));
            Task<String> fast = scope.async(() -> call(out, "fast", 100));
            return Coroutines.gather(List.of(slow, medium, fast));
        });
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        out.println("gathered " + results + " in " + elapsed.toMillis() + " ms (sum of waits: 600 ms)");
        return new Result(results, elapsed);
    }

    private static CompletableFuture<String> call(PrintStream out, String name, long millis) {
        out.println("start " + name);
        return Coroutines.sleep(Duration.ofMillis(millis)).thenApply(ignored -> {
            out.println("done  " + name);
            return name + " answer";
        });
    }
}
