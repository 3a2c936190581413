package dev.corobridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.corobridge.testing.NoLeaks;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link Calls} against the JDK's own HTTP server on the loopback interface: no mocks. */
@ExtendWith(NoLeaks.class)
class CallsAgainstServerTest {
    static {
        // The JDK server writes a response's headers and body separately; with Nagle's algorithm on,
        // the client's delayed ACK then holds every response back by about 40 ms.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpServer server;
    private ExecutorService serverThreads;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger mostActive = new AtomicInteger();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch firstTwoCalls = new CountDownLatch(2);

    @BeforeEach
    void startServer() throws IOException {
        serverThreads = Executors.newFixedThreadPool(32);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(serverThreads);
        server.createContext("/double", exchange -> answer(exchange, () -> {
            long n = number(exchange);
            if (n < 2) {
                meetTheOtherOfTheFirstTwoCalls();
            }
            return Long.toString(2 * n);
        }));
        server.createContext("/flaky", exchange -> {
            int attempt = attempts.computeIfAbsent(exchange.getRequestURI().getQuery(), key -> new AtomicInteger()).incrementAndGet();
            if (attempt % 3 != 0) {
                reply(exchange, 503, "try again");
            } else {
                answer(exchange, () -> Long.toString(number(exchange)));
            }
        });
        server.createContext("/stamp", exchange -> {
            arrivals.add(System.nanoTime());
            answer(exchange, () -> "ok");
        });
        server.createContext("/slow", exchange -> answer(exchange, () -> {
            try {
                Thread.sleep(5); // the server's simulated latency, not a wait for the test
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "ok";
        }));
        server.createContext("/ping", exchange -> reply(exchange, 200, "ok")); // not counted as active
        server.start();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        server.stop(0);
        serverThreads.shutdownNow();
        assertTrue(serverThreads.awaitTermination(5, TimeUnit.SECONDS), "server threads did not stop");
    }

    @Test
    void tenThousandCallsAtConcurrencySixteenAnswerInOrderWithNeverMoreThanSixteenAtTheServer() {
        List<Integer> inputs = IntStream.range(0, 10_000).boxed().toList();

        List<Long> answers = Calls.over(inputs).concurrency(16).map(n -> get("/double?" + n).thenApply(Long::parseLong)).join();

        assertEquals(inputs.stream().map(n -> 2L * n).toList(), answers);
        assertTrue(mostActive.get() <= 16, "the server saw " + mostActive.get() + " requests at once");
        assertTrue(mostActive.get() > 1, "the calls never overlapped");
    }

    @Test
    void aFlakyEndpointFailingTwoOfThreeTimesSucceedsWithRetryAndThreeAttemptsEach() {
        RetryPolicy retry = RetryPolicy.builder().maxAttempts(3).backoff(Duration.ofMillis(1), Duration.ofMillis(4)).build();
        List<Integer> inputs = IntStream.range(0, 300).boxed().toList();

        List<Long> answers = Calls.over(inputs).concurrency(16).retry(retry).map(n -> get("/flaky?" + n).thenApply(Long::parseLong)).join();

        assertEquals(inputs.stream().map(Integer::longValue).toList(), answers);
        assertEquals(300, attempts.size());
        assertTrue(attempts.values().stream().allMatch(count -> count.get() == 3), "each call took three attempts");
    }

    @Test
    void startsAgainstTheServerRespectTheRateLimitWindow() {
        Duration window = Duration.ofMillis(400);
        // Starts are stamped as each call begins, after its permit: a start can only be late, by the
        // time its thread takes to run it (more on a busy 2-core machine), never early. Stamps taken
        // where the server sees the requests would add the loopback's latency, which varies per request.
        long tolerance = Duration.ofMillis(120).toNanos();
        List<Long> starts = Collections.synchronizedList(new ArrayList<>());

        Calls.over(IntStream.range(0, 20).boxed().toList()).concurrency(20).rateLimit(RateLimiter.of(5, window))
                .map(n -> {
                    starts.add(System.nanoTime());
                    return get("/stamp");
                }).join();

        List<Long> started = new ArrayList<>(starts);
        Collections.sort(started);
        assertEquals(20, started.size());
        assertEquals(20, arrivals.size(), "the server saw every call");
        for (int i = 0; i + 5 < started.size(); i++) {
            long gap = started.get(i + 5) - started.get(i);
            assertTrue(gap >= window.toNanos() - tolerance, "calls " + i + " and " + (i + 5) + " started " + gap / 1_000_000 + " ms apart");
        }
        assertTrue(started.get(19) - started.get(0) >= 3 * window.toNanos() - tolerance, "20 starts at 5 per window need 3 windows");
    }

    @Test
    void anEndlessInputCancelledMidRunStopsBeingPulled() throws InterruptedException {
        AtomicLong pulled = new AtomicLong();
        CountDownLatch twentyPulled = new CountDownLatch(20); // 8 at the start, then one per call that completed
        Iterator<Long> endless = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Long next() {
                twentyPulled.countDown();
                return pulled.incrementAndGet();
            }
        };
        Task<List<String>> run = Calls.over(endless).concurrency(8).map(n -> get("/slow"));
        assertTrue(twentyPulled.await(10, TimeUnit.SECONDS), "the run pulled only " + pulled.get() + " inputs in 10 s");

        run.cancelAndJoin().join();
        long pulledWhenStopped = pulled.get();
        get("/ping").join(); // a round trip after the stop, in which a run still going would pull more

        assertTrue(run.isCancelled());
        assertEquals(pulledWhenStopped, pulled.get(), "inputs were pulled after the run stopped");
        assertTrue(pulledWhenStopped >= 20 && pulledWhenStopped < 1_000, "pulled " + pulledWhenStopped + " inputs");
        assertTrue(mostActive.get() <= 8, "the server saw " + mostActive.get() + " requests at once");
    }

    private CompletableFuture<String> get(String pathAndQuery) {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
        return CLIENT.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .thenCompose(response -> response.statusCode() == 200
                        ? CompletableFuture.completedFuture(response.body())
                        : CompletableFuture.failedFuture(new IOException("HTTP " + response.statusCode() + " from " + uri)));
    }

    /**
     * Holds each of calls 0 and 1 at the server until the other has arrived too (5 s at most), so
     * that calls made concurrently are seen at once however the threads are scheduled; calls made
     * one after the other are not, and the overlap check fails.
     */
    private void meetTheOtherOfTheFirstTwoCalls() {
        firstTwoCalls.countDown();
        try {
            firstTwoCalls.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long number(HttpExchange exchange) {
        return Long.parseLong(exchange.getRequestURI().getQuery());
    }

    /** Counts the request as active while its answer is computed, and stops counting before replying. */
    private void answer(HttpExchange exchange, java.util.function.Supplier<String> body) throws IOException {
        int now = active.incrementAndGet();
        mostActive.accumulateAndGet(now, Math::max);
        String text;
        try {
            text = body.get();
        } finally {
            active.decrementAndGet();
        }
        reply(exchange, 200, text);
    }

    private static void reply(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
