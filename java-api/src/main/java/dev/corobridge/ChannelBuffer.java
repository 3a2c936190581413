package dev.corobridge;

import dev.corobridge.bridge.Origin;
import dev.corobridge.bridge.channels.ChannelOps;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import kotlinx.coroutines.channels.Channel;
import kotlinx.coroutines.channels.ReceiveChannel;
import org.jspecify.annotations.Nullable;

/**
 * A generator's {@link Buffer} that is a kotlinx channel: the channel of a generator made from a
 * Kotlin flow or channel, or from stages, and of {@link Generator#of} with no buffer (paced).
 *
 * @param <T> the type of the elements
 */
final class ChannelBuffer<T> implements Buffer<T> {
    private final ReceiveChannel<T> channel;

    /** A buffer over a channel whose elements someone else sends; {@link #put} and {@link #close} are not for it. */
    ChannelBuffer(ReceiveChannel<T> channel) {
        this.channel = channel;
    }

    @Override
    public @Nullable Optional<T> poll() {
        CompletableFuture<Optional<T>> now = ChannelOps.nextNow(channel);
        return now == null ? null : Pull.await(now, "Generator.next"); // completed: returns, or throws the original
    }

    @Override
    public @Nullable Optional<T> pollSpinning() {
        return ChannelOps.nextSpinning(channel);
    }

    @Override
    public CompletableFuture<Optional<T>> receive(boolean dispatched) {
        // A coroutine on the caller's running loop either way, not cancelled with the calling body:
        // a receive that body gives up goes to the generator's next caller.
        return Task.of(ChannelOps.nextAsync(channel, null, Origin.ofObject()));
    }

    @Override
    public boolean put(T element) throws InterruptedException {
        return ChannelOps.sendBlocking(sending(), element); // it tries at once, then spins, then parks
    }

    @Override
    public void close(@Nullable Throwable failure) {
        ChannelOps.close(sending(), failure);
    }

    @Override
    public void cancel() {
        ChannelOps.cancel(channel);
    }

    private Channel<T> sending() {
        if (!(channel instanceof Channel<T> both)) {
            throw new IllegalStateException("this generator's channel is sent to by its own source");
        }
        return both;
    }
}
