package dev.corobridge.samples;

import dev.corobridge.Coroutines;
import dev.corobridge.Task;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/*
 * Seed 004's test_noasync.py and test_async.py: five calls that each wait 3 seconds for "the
 * internet" (scaled here: 3 s = 100 ms).
 *
 * What to notice:
 *  - Blocking (Thread.sleep, like time.sleep) holds the thread: 5 waits take 5 x 100 ms.
 *  - Coroutines.sleep (asyncio.sleep) releases it: all five wait together, about 100 ms in total.
 *  - The loop starts all five at once: "started" lines come out before any wait ends.
 *  - The Python versions of both scripts run side by side when python3 is installed.
 */
final class FiveWaitsSample implements Sample {
    static final Duration WAIT = Duration.ofMillis(100);

    record Result(Duration blocking, Duration async) {}

    @Override
    public String name() {
        return "waits";
    }

    @Override
    public String title() {
        return "five 3-second waits: blocking 15 s vs async 3 s, scaled to ms (seed 004)";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        demonstrate(out);
        PythonSideBySide.run(out, "five_waits.py");
    }

    static Result demonstrate(PrintStream out) throws Exception {
        Duration blocking = Stopwatch.time(() -> {
            for (int i = 0; i < 5; i++) {
                Thread.sleep(WAIT.toMillis()); // the thread can do nothing else meanwhile
            }
        });
        out.println("blocking: 5 waits took " + blocking.toMillis() + " ms");

        Duration async = Stopwatch.time(() -> Coroutines.run(scope -> {
            List<Task<Void>> waits = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                out.println("started wait " + i);
                waits.add(scope.async(() -> Coroutines.sleep(WAIT)));
            }
            return Coroutines.gather(waits);
        }));
        out.println("async: 5 waits took " + async.toMillis() + " ms");
        return new Result(blocking, async);
    }
}
