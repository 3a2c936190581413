package dev.corobridge;

import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * Signals that a channel is closed: a receive found it closed and drained, or a send found it
 * closed. The library's counterpart of kotlinx's {@code ClosedReceiveChannelException} and
 * {@code ClosedSendChannelException}, and of asyncio's {@code QueueShutDown}.
 *
 * <p>A channel closed with a cause ({@link AsyncChannel#close(Throwable)}) fails receivers with
 * that cause itself, not with this exception. A channel that was cancelled fails them with this
 * exception, whose cause is the cancellation.
 *
 * @since 0.1
 */
public final class ChannelClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was closed
     * @param cause the cancellation that closed the channel, or {@code null}
     */
    public ChannelClosedException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /** The exception a caller sees for a channel closed with {@code cause} (null: closed plainly). */
    static Throwable forCause(@Nullable Throwable cause) {
        if (cause == null) {
            return new ChannelClosedException("the channel is closed", null);
        }
        if (cause instanceof CancellationException) {
            return new ChannelClosedException("the channel was cancelled", cause);
        }
        return cause;
    }
}
