package dev.vlflow.pipeline.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * A Flink cluster's REST API, the calls vlflow needs: the overview, the jobs, and submitting a job jar
 * ({@code POST /jars/upload} as multipart, {@code POST /jars/<id>/run}, {@code DELETE /jars/<id>}). Works against
 * any Flink 2.x JobManager whose REST endpoint has jar submission on (flink-runtime-web on its classpath,
 * {@code web.submit.enable}).
 */
public final class FlinkRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;

    /** @param hostPort the REST endpoint, {@code host:port} */
    public FlinkRest(String hostPort) {
        this.base = parse(hostPort);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public URI base() {
        return base;
    }

    /** The cluster's numbers (GET /overview). */
    public record Overview(int taskManagers, int slotsTotal, int slotsAvailable, int jobsRunning, int jobsFinished,
                           int jobsCancelled, int jobsFailed, String flinkVersion) {
    }

    /** One job of GET /jobs/overview. */
    public record Job(String id, String name, String state) {
    }

    /** A call the cluster refused (its error text), or no answer at all. */
    public static final class RestException extends IOException {
        private RestException(String message) {
            super(message);
        }

        private RestException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public Overview overview() throws IOException {
        JsonNode o = send(HttpRequest.newBuilder(base.resolve("/overview")).GET(), Duration.ofSeconds(10));
        return new Overview(o.path("taskmanagers").asInt(), o.path("slots-total").asInt(),
                o.path("slots-available").asInt(), o.path("jobs-running").asInt(), o.path("jobs-finished").asInt(),
                o.path("jobs-cancelled").asInt(), o.path("jobs-failed").asInt(), o.path("flink-version").asText());
    }

    public List<Job> jobs() throws IOException {
        JsonNode o = send(HttpRequest.newBuilder(base.resolve("/jobs/overview")).GET(), Duration.ofSeconds(10));
        List<Job> jobs = new ArrayList<>();
        for (JsonNode j : o.path("jobs")) {
            jobs.add(new Job(j.path("jid").asText(), j.path("name").asText(), j.path("state").asText()));
        }
        return jobs;
    }

    /** A job's state (GET /jobs/<id>), e.g. RUNNING or FAILED. */
    public String jobState(String jobId) throws IOException {
        return send(HttpRequest.newBuilder(base.resolve("/jobs/" + jobId)).GET(), Duration.ofSeconds(10))
                .path("state").asText();
    }

    /** Uploads a jar (POST /jars/upload, multipart field {@code jarfile}); returns the cluster's id for it. */
    public String upload(Path jar) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("no job jar " + jar);
        }
        String boundary = "vlflow-" + UUID.randomUUID();
        String head = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"jarfile\"; filename=\"" + jar.getFileName() + "\"\r\n"
                + "Content-Type: application/x-java-archive\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofString(head),
                        HttpRequest.BodyPublishers.ofFile(jar), HttpRequest.BodyPublishers.ofString(tail)));
        JsonNode answer = send(request, Duration.ofMinutes(5));
        String stored = answer.path("filename").asText();
        if (stored.isEmpty()) {
            throw new RestException("the cluster did not say where it stored the jar: " + answer);
        }
        return Path.of(stored).getFileName().toString();
    }

    /**
     * Runs an uploaded jar's main class (POST /jars/<id>/run): the JobManager executes it, which submits the job.
     *
     * @return the job id
     */
    public String run(String jarId, String entryClass, List<String> programArgs, OptionalInt parallelism)
            throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("entryClass", entryClass);
        programArgs.forEach(body.putArray("programArgsList")::add);
        parallelism.ifPresent(p -> body.put("parallelism", p));
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/jars/" + jarId + "/run"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        JsonNode answer = send(request, Duration.ofMinutes(5));
        return Optional.ofNullable(answer.get("jobid")).map(JsonNode::asText)
                .orElseThrow(() -> new RestException("the cluster answered without a job id: " + answer));
    }

    /** Deletes an uploaded jar (the jobs it started keep their own copy). */
    public void delete(String jarId) throws IOException {
        send(HttpRequest.newBuilder(base.resolve("/jars/" + jarId)).DELETE(), Duration.ofSeconds(30));
    }

    private JsonNode send(HttpRequest.Builder request, Duration timeout) throws IOException {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new RestException("no Flink REST endpoint answers at " + base + " (connection refused)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RestException("interrupted while calling " + base, e);
        } catch (IOException e) {
            throw new RestException("calling " + base + " failed: " + e, e);
        }
        JsonNode body;
        try {
            body = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new RestException("HTTP " + response.statusCode() + " from " + request.build().uri()
                    + " is not JSON: " + abbreviate(response.body()));
        }
        if (response.statusCode() >= 300 || body.has("errors")) {
            throw new RestException("HTTP " + response.statusCode() + " from " + request.build().method() + " "
                    + request.build().uri().getPath() + ": " + errorText(body));
        }
        return body;
    }

    /**
     * Flink's error text, shortened to what a person reads: of each error, its first line and every
     * {@code Caused by:} line (a Java exception's stack frames left out).
     */
    public static String errorText(JsonNode body) {
        List<String> lines = new ArrayList<>();
        for (JsonNode e : body.path("errors")) {
            String[] split = e.asText().split("\n");
            lines.add(split[0].strip());
            for (int i = 1; i < split.length; i++) {
                String line = split[i].strip();
                if (line.startsWith("Caused by:")) {
                    lines.add(line);
                }
            }
        }
        return lines.isEmpty() ? body.toString() : String.join(System.lineSeparator(), lines);
    }

    private static String abbreviate(String s) {
        return s.length() > 500 ? s.substring(0, 500) + "..." : s;
    }

    private static URI parse(String hostPort) {
        String s = hostPort.strip();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1 || s.contains("/")) {
            throw new IllegalArgumentException("expected HOST:PORT of a Flink REST endpoint, got '" + hostPort + "'");
        }
        try {
            int port = Integer.parseInt(s.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return URI.create("http://" + s.substring(0, colon) + ":" + port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected HOST:PORT of a Flink REST endpoint, got '" + hostPort + "'");
        }
    }
}
