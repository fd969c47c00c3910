package dev.vlflow.vision;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTP server on a loopback address (127.0.0.1 unless told otherwise) for network tests: serves files with
 * byte ranges (seeks use them), text bodies, redirects, and "slow" files that send their first part, then wait for a
 * latch before sending the rest. Counts the requests it gets.
 */
final class TestHttpServer implements AutoCloseable {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
    private final Map<String, Slow> slow = new ConcurrentHashMap<>();
    private final Map<String, String> redirects = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
    private final String host;

    /** A body sent in two parts with a wait between them. */
    record Slow(byte[] body, int firstPart, CountDownLatch release) {
    }

    TestHttpServer() throws IOException {
        this(InetAddress.getLoopbackAddress());
    }

    /** A server on a loopback address such as 127.0.0.2 (the "other host" of the tests). */
    TestHttpServer(InetAddress address) throws IOException {
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("tests serve on loopback addresses only, not " + address);
        }
        host = address.getHostAddress();
        server = HttpServer.create(new InetSocketAddress(address, 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String url(String path) {
        return "http://" + host + ":" + server.getAddress().getPort() + path;
    }

    /** Requests received so far (any path). */
    int requests() {
        return requests.get();
    }

    /** Answers {@code path} with {@code 302 Found} to {@code location}. */
    TestHttpServer serveRedirect(String path, String location) {
        redirects.put(path, location);
        return this;
    }

    TestHttpServer serveFile(String path, Path file) throws IOException {
        bodies.put(path, Files.readAllBytes(file));
        return this;
    }

    TestHttpServer serveText(String path, String text) {
        bodies.put(path, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return this;
    }

    TestHttpServer serveSlowly(String path, Path file, int firstPart, CountDownLatch release) throws IOException {
        slow.put(path, new Slow(Files.readAllBytes(file), firstPart, release));
        return this;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            String location = redirects.get(path);
            if (location != null) {
                exchange.getResponseHeaders().add("Location", location);
                exchange.sendResponseHeaders(302, -1);
                return;
            }
            Slow slowBody = slow.get(path);
            if (slowBody != null) {
                sendSlowly(exchange, slowBody);
                return;
            }
            byte[] body = bodies.get(path);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String range = exchange.getRequestHeaders().getFirst("Range");
            Matcher m = range == null ? null : RANGE.matcher(range);
            exchange.getResponseHeaders().add("Accept-Ranges", "bytes");
            if (m != null && m.matches()) {
                int from = Integer.parseInt(m.group(1));
                int to = m.group(2).isEmpty() ? body.length - 1 : Math.min(body.length - 1,
                        Integer.parseInt(m.group(2)));
                if (from >= body.length) {
                    exchange.getResponseHeaders().add("Content-Range", "bytes */" + body.length);
                    exchange.sendResponseHeaders(416, -1);
                    return;
                }
                exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + to + "/" + body.length);
                exchange.sendResponseHeaders(206, to - from + 1);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body, from, to - from + 1);
                }
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException e) {
            // The client (FFmpeg) closed the connection early, as it does after seeking.
        }
    }

    private static void sendSlowly(HttpExchange exchange, Slow body) throws IOException {
        exchange.sendResponseHeaders(200, 0);   // chunked, no length: a stream
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body.body(), 0, body.firstPart());
            out.flush();
            body.release().await(30, TimeUnit.SECONDS);
            out.write(body.body(), body.firstPart(), body.body().length - body.firstPart());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
