package dev.corobridge;

import dev.corobridge.bridge.Stages;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Flow.Publisher} over an asynchronous source: each subscriber pulls one element per unit
 * of demand, never more, and at most one pull is in flight per subscriber. Signals to a subscriber
 * are serial (one drain loop at a time), as the Reactive Streams rules require.
 */
final class PullPublisher<T> implements Flow.Publisher<T> {
    private final Supplier<CompletableFuture<Optional<T>>> next;
    private final Runnable onCancel;

    /** Publishes what {@code next} gives; a subscriber's {@code cancel()} cancels its pull and runs {@code onCancel}. */
    PullPublisher(Supplier<CompletableFuture<Optional<T>>> next, Runnable onCancel) {
        this.next = next;
        this.onCancel = onCancel;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        Subscription<T> subscription = new Subscription<>(subscriber, next, onCancel);
        subscriber.onSubscribe(subscription);
    }

    private static final class Subscription<T> implements Flow.Subscription {
        private final Flow.Subscriber<? super T> subscriber;
        private final Supplier<CompletableFuture<Optional<T>>> next;
        private final Runnable onCancel;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger drains = new AtomicInteger();
        private volatile boolean done;
        private volatile @Nullable CompletableFuture<Optional<T>> inFlight;
        private volatile @Nullable CompletableFuture<Optional<T>> arrived;
        private volatile @Nullable Throwable badRequest;

        Subscription(Flow.Subscriber<? super T> subscriber, Supplier<CompletableFuture<Optional<T>>> next, Runnable onCancel) {
            this.subscriber = subscriber;
            this.next = next;
            this.onCancel = onCancel;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                badRequest = new IllegalArgumentException("request(n) needs n > 0, was " + n + " (Reactive Streams rule 3.9)");
            } else {
                demand.getAndAccumulate(n, (current, added) -> current + added < 0 ? Long.MAX_VALUE : current + added);
            }
            drain();
        }

        @Override
        public void cancel() {
            if (done) {
                return;
            }
            done = true;
            CompletableFuture<Optional<T>> pending = inFlight;
            if (pending != null) {
                pending.cancel(false);
            }
            onCancel.run();
        }

        private void drain() {
            if (drains.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            do {
                step();
                missed = drains.addAndGet(-missed);
            } while (missed != 0);
        }

        private void step() {
            while (!done) {
                Throwable bad = badRequest;
                if (bad != null) {
                    finish();
                    subscriber.onError(bad);
                    return;
                }
                CompletableFuture<Optional<T>> ready = arrived;
                if (ready != null) {
                    arrived = null;
                    inFlight = null;
                    deliver(ready);
                    continue;
                }
                if (inFlight != null || demand.get() == 0) {
                    return;
                }
                CompletableFuture<Optional<T>> pull = next.get();
                inFlight = pull;
                pull.whenComplete((value, failure) -> {
                    arrived = pull;
                    drain();
                });
            }
        }

        private void deliver(CompletableFuture<Optional<T>> ready) {
            Optional<T> element;
            try {
                element = ready.join();
            } catch (RuntimeException failed) {
                finish();
                subscriber.onError(Stages.unwrap(failed));
                return;
            }
            if (element.isEmpty()) {
                finish();
                subscriber.onComplete();
                return;
            }
            if (demand.get() != Long.MAX_VALUE) {
                demand.decrementAndGet();
            }
            subscriber.onNext(element.get());
        }

        private void finish() {
            done = true;
        }
    }
}
