package dev.corobridge.samples;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The "server" of the many-calls sample: the JDK's own HTTP server on 127.0.0.1 (a free port),
 * answering {@code /square?n=7} with {@code 49}, failing a given share of requests with a 503,
 * and counting how many requests it ever had in flight at once.
 */
final class LoopbackServer implements AutoCloseable {
    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY each response
        // waits for the client's delayed ACK (about 40 ms).
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(LakhOfCallsSample.IN_FLIGHT);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    LoopbackServer(double failureRate) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.createContext("/square", exchange -> {
            int now = inFlight.incrementAndGet();
            mostInFlight.accumulateAndGet(now, Math::max);
            requests.incrementAndGet();
            try {
                long n = Long.parseLong(exchange.getRequestURI().getQuery().substring("n=".length()));
                boolean fail = ThreadLocalRandom.current().nextDouble() < failureRate;
                byte[] body = (fail ? "busy, try again" : Long.toString(n * n)).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(fail ? 503 : 200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } finally {
                inFlight.decrementAndGet();
            }
        });
        server.setExecutor(workers);
        server.start();
    }

    URI square(long n) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/square?n=" + n);
    }

    int mostInFlight() {
        return mostInFlight.get();
    }

    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
