package dev.corobridge;

import java.util.concurrent.CompletableFuture;

/**
 * The shared, already completed {@code CompletableFuture<Void>} that uncontended waits return, so
 * that the fast path allocates nothing. It cannot be made to look incomplete or failed.
 */
final class Done extends CompletableFuture<Void> {
    static final CompletableFuture<Void> VOID = new Done();

    private Done() {
        super.complete(null);
    }

    @Override
    public void obtrudeValue(Void value) {
        throw new UnsupportedOperationException("this completed future is shared and cannot be changed");
    }

    @Override
    public void obtrudeException(Throwable ex) {
        throw new UnsupportedOperationException("this completed future is shared and cannot be changed");
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
