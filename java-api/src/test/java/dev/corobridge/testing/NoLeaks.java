package dev.corobridge.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.corobridge.bridge.Ambient;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import kotlinx.coroutines.debug.CoroutineInfo;
import kotlinx.coroutines.debug.DebugProbes;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves a coroutine started by corobridge alive.
 *
 * <p>Installs kotlinx's {@code DebugProbes} (tests only) once per JVM; after each test, waits up
 * to five seconds for every coroutine whose context carries the library's {@link Ambient} to
 * finish, and fails with their states and stacks if some are still there. Use it on every test
 * class: {@code @ExtendWith(NoLeaks.class)}.
 */
public final class NoLeaks implements BeforeAllCallback, AfterEachCallback {
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(5);

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (NoLeaks.class) {
            if (!DebugProbes.INSTANCE.isInstalled()) {
                DebugProbes.INSTANCE.setEnableCreationStackTraces(false);
                DebugProbes.INSTANCE.install();
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        List<CoroutineInfo> alive = libraryCoroutines();
        while (!alive.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10); // polling a condition with a deadline, not guessing a duration
            alive = libraryCoroutines();
        }
        if (!alive.isEmpty()) {
            fail(alive.size() + " coroutine(s) started by corobridge are still alive after "
                    + context.getDisplayName() + ":\n" + describe(alive));
        }
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
