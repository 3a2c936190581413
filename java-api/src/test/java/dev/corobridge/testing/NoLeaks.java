package dev.corobridge.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.corobridge.bridge.Ambient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import kotlinx.coroutines.debug.CoroutineInfo;
import kotlinx.coroutines.debug.DebugProbes;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves something of corobridge's behind: a coroutine, a thread, or an uncaught
 * exception.
 *
 * <p>Once per JVM it installs kotlinx's {@code DebugProbes} (tests only) and a default
 * uncaught-exception handler that records what reaches it (kotlinx hands an exception no one can
 * receive to that handler too). After each test it waits up to five seconds for every coroutine
 * whose context carries the library's {@link Ambient} to finish, and for every thread named
 * {@code corobridge-*} that the test started to end; it fails with their states and stacks if some
 * are still there, and with every exception that went uncaught in any thread during the test. Use
 * it on every test class: {@code @ExtendWith(NoLeaks.class)}.
 */
public final class NoLeaks implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback {
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final Queue<Uncaught> UNCAUGHT = new ConcurrentLinkedQueue<>();
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NoLeaks.class);

    private record Uncaught(String thread, Throwable failure) {}

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (NoLeaks.class) {
            if (!DebugProbes.INSTANCE.isInstalled()) {
                DebugProbes.INSTANCE.setEnableCreationStackTraces(false);
                DebugProbes.INSTANCE.install();
                Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> {
                    UNCAUGHT.add(new Uncaught(thread.getName(), failure));
                    System.err.println("uncaught in " + thread.getName() + ": " + failure);
                });
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        UNCAUGHT.clear();
        context.getStore(NAMESPACE).put("threads", Set.copyOf(LibraryThreads.live().keySet()));
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        List<String> problems = new ArrayList<>();

        List<CoroutineInfo> alive = waitFor(NoLeaks::libraryCoroutines, List::isEmpty);
        if (!alive.isEmpty()) {
            problems.add(alive.size() + " coroutine(s) started by corobridge are still alive:\n" + describe(alive));
        }

        @SuppressWarnings("unchecked") // put as a Set<String> by beforeEach
        Set<String> before = (Set<String>) context.getStore(NAMESPACE).get("threads", Set.class);
        Map<String, String> lost = waitFor(() -> startedSince(before), Map::isEmpty);
        if (!lost.isEmpty()) {
            StringBuilder text = new StringBuilder(lost.size() + " thread(s) started by corobridge are still alive:\n");
            lost.forEach((name, stack) -> text.append("  \"").append(name).append("\"\n").append(stack));
            problems.add(text.toString());
        }

        List<Uncaught> uncaught = new ArrayList<>(UNCAUGHT);
        UNCAUGHT.clear();
        for (Uncaught each : uncaught) {
            problems.add("uncaught exception in thread \"" + each.thread() + "\": " + each.failure());
        }

        if (!problems.isEmpty()) {
            AssertionError failure = new AssertionError("after " + context.getDisplayName() + ":\n"
                    + String.join("\n", problems));
            uncaught.forEach(each -> failure.addSuppressed(each.failure()));
            throw failure;
        }
    }

    private static Map<String, String> startedSince(Set<String> before) {
        Map<String, String> live = LibraryThreads.live();
        live.keySet().removeAll(before);
        return live;
    }

    /** Polls {@code probe} until it reports nothing or the patience runs out; returns the last report. */
    private static <C> C waitFor(Supplier<C> probe, Predicate<C> nothing) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        C found = probe.get();
        while (!nothing.test(found) && System.nanoTime() < deadline) {
            Thread.sleep(10); // polling a condition with a deadline, not guessing a duration
            found = probe.get();
        }
        return found;
    }

    /** Coroutines started by the library that are still alive now. */
    public static List<CoroutineInfo> libraryCoroutines() {
        return DebugProbes.INSTANCE.dumpCoroutinesInfo().stream()
                .filter(info -> info.getContext().get(Ambient.Key) != null)
                .collect(Collectors.toList());
    }

    private static String describe(List<CoroutineInfo> alive) {
        StringBuilder text = new StringBuilder();
        for (CoroutineInfo info : alive) {
            text.append("  ").append(info.getState()).append(' ').append(info.getContext()).append('\n');
            for (StackTraceElement frame : info.lastObservedStackTrace()) {
                text.append("      at ").append(frame).append('\n');
            }
        }
        return text.toString();
    }
}
