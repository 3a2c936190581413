package dev.corobridge;

import dev.corobridge.bridge.calls.CallEnd;
import dev.corobridge.bridge.calls.CallObserver;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Counts the calls of one plan run and hands a {@link Progress} snapshot to the user's callback
 * after each call ends, one callback at a time and in the order the snapshots were taken.
 *
 * <p>Snapshots are queued under a small lock that guards only the counts; whoever then gets the
 * delivery lock hands out everything queued, and a thread that finds it taken leaves its snapshot
 * to the holder, which looks at the queue again after letting go. {@link #finished()} waits for
 * the delivery lock, so the run is over only once every snapshot has been handed out.
 */
final class ProgressReporter implements CallObserver {
    private static final CallObserver SILENT = new CallObserver() {
        @Override
        public void started() {}

        @Override
        public void ended(CallEnd end) {}

        @Override
        public void exhausted(long count) {}

        @Override
        public void finished() {}
    };

    private final Consumer<? super Progress> callback;
    private final Object counts = new Object();
    private final Queue<Progress> pending = new ConcurrentLinkedQueue<>();
    private final ReentrantLock delivering = new ReentrantLock();
    private long completed;
    private long failed;
    private long inFlight;
    private long total;

    private ProgressReporter(Consumer<? super Progress> callback, long total) {
        this.callback = callback;
        this.total = total;
    }

    /** An observer for one run; {@code total} is -1 while unknown. */
    static CallObserver of(@Nullable Consumer<? super Progress> callback, long total) {
        return callback == null ? SILENT : new ProgressReporter(callback, total);
    }

    @Override
    public void started() {
        synchronized (counts) {
            inFlight++;
        }
    }

    @Override
    public void ended(CallEnd end) {
        synchronized (counts) {
            inFlight--;
            switch (end) {
                case SUCCEEDED -> completed++;
                case FAILED -> failed++;
                case CANCELLED -> {
                    return;
                }
            }
            pending.add(new Progress(completed, failed, inFlight, total));
        }
        deliverPending();
    }

    @Override
    public void exhausted(long count) {
        synchronized (counts) {
            total = count;
        }
    }

    @Override
    public void finished() {
        delivering.lock();
        try {
            deliverQueued();
        } finally {
            delivering.unlock();
        }
    }

    private void deliverPending() {
        while (!pending.isEmpty() && delivering.tryLock()) {
            try {
                deliverQueued();
            } finally {
                delivering.unlock();
            }
        }
    }

    private void deliverQueued() {
        Progress next;
        while ((next = pending.poll()) != null) {
            try {
                callback.accept(next);
            } catch (Throwable failure) {
                Thread current = Thread.currentThread();
                current.getUncaughtExceptionHandler().uncaughtException(current, failure);
            }
        }
    }
}
