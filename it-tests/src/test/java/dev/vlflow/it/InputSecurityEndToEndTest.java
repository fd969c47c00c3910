package dev.vlflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.vlflow.conf.InputOptions;
import dev.vlflow.pipeline.stream.DemoInputs;
import dev.vlflow.pipeline.stream.LocalRunner;
import dev.vlflow.pipeline.stream.StreamIo;
import dev.vlflow.pipeline.stream.StreamOutputs;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile events through the streaming job on a MiniCluster, with the limits a plain {@code vlflow stream --input DIR}
 * run has (videos from the input's folder only; here also http from 127.0.0.1): every one is a dead letter with a
 * reason, files outside the folder read exactly like missing files, no other host is ever contacted, and the job
 * answers the good question.
 */
class InputSecurityEndToEndTest {

    private static final String FILE_REFUSED = "^NOT_FOUND: .+: no such file inside the allowed file roots$";

    @TempDir
    Path temp;

    private static String segment(String stream, String uri) {
        return DemoInputs.segment(stream, 0, uri, 0, 2).line();
    }

    private static HttpServer server(String address) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), 0), 0);
        server.start();
        return server;
    }

    private static String url(HttpServer server, String path) {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort()
                + path;
    }

    @Test
    void hostileInputsBecomeDeadLettersAndNoOtherHostIsContacted() throws Exception {
        StreamFixture fixture = new StreamFixture(temp);
        Path input = Files.createDirectories(temp.resolve("input"));
        Files.copy(fixture.video, input.resolve("clip.mp4"));
        Files.createSymbolicLink(input.resolve("link.mp4"), fixture.video);

        HttpServer other = server("127.0.0.2"); // the host that is not allowed: counts what reaches it
        AtomicInteger reachedOther = new AtomicInteger();
        other.createContext("/", exchange -> {
            reachedOther.incrementAndGet();
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        HttpServer allowed = server("127.0.0.1");
        String playlist = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n" + url(other, "/seg.ts")
                + "\n#EXT-X-ENDLIST\n";
        allowed.createContext("/", exchange -> {
            if (exchange.getRequestURI().getPath().equals("/jump.mp4")) {
                exchange.getResponseHeaders().add("Location", url(other, "/clip.mp4"));
                exchange.sendResponseHeaders(302, -1);
            } else {
                byte[] body = playlist.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/vnd.apple.mpegurl");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        List<String> lines = new ArrayList<>(List.of(
                segment("good", "clip.mp4"),                                           // 1: inside the folder
                segment("missing", "missing.mp4"),                                     // 2
                segment("passwd", "file:///etc/passwd"),                               // 3
                segment("dotdot", "../video/demo.mp4"),                                // 4: exists, outside
                segment("link", "link.mp4"),                                           // 5: a link out of the folder
                segment("concat", "concat:clip.mp4|clip.mp4"),                         // 6
                segment("subfile", "subfile,,start,0,end,100,,:clip.mp4"),             // 7
                segment("data", "data:video/mp4;base64,AAAA"),                         // 8
                segment("pipe", "pipe:0"),                                             // 9
                segment("host", url(other, "/clip.mp4")),                              // 10: host not allowed
                segment("redirect", url(allowed, "/jump.mp4")),                        // 11: allowed -> other
                segment("playlist", url(allowed, "/list.m3u8")),                       // 12: names the other host
                "{\"type\":\"question\",\"stream\":\"good\",\"id\":\"long\",\"text\":\""
                        + "x".repeat(5000) + "\"}",                                    // 13: over 4 kb
                "{\"type\":\"question\",\"stream\":\"good\",\"id\":\"greedy\",\"text\":\"All of it?\","
                        + "\"after\":0,\"max_tokens\":2147483647}",                    // 14
                DemoInputs.ask("good", "ok", "What colour is the square?", 0, 4).line()));
        Files.write(input.resolve("events.jsonl"), lines);

        Configuration config = fixture.configuration(temp.resolve("checkpoints"));
        config.removeConfig(InputOptions.FILE_ROOTS); // as `vlflow stream --input DIR`: the input's folder only
        config.set(InputOptions.URL_HOSTS, List.of("127.0.0.1"));
        config.setString(InputOptions.MAX_RECORD_BYTES.key(), "4 kb");
        StreamIo io = new StreamIo(input, Optional.empty(), temp.resolve("out"), false);
        try {
            LocalRunner.run(config, io);
        } finally {
            allowed.stop(0);
            other.stop(0);
        }

        StreamOutputs out = StreamOutputs.read(io);
        Map<String, JsonNode> byStream = out.deadLetters().stream().filter(e -> e.hasNonNull("stream"))
                .filter(e -> !e.get("stream").asText().equals("good"))
                .collect(Collectors.toMap(e -> e.get("stream").asText(), e -> e));
        for (String stream : List.of("missing", "passwd", "dotdot", "link")) {
            JsonNode e = byStream.get(stream);
            assertEquals("UNREADABLE_VIDEO", e.get("kind").asText(), stream);
            assertTrue(e.get("reason").asText().matches(FILE_REFUSED), e.toString());
        }
        for (String stream : List.of("concat", "subfile", "data", "pipe", "host", "redirect", "playlist")) {
            JsonNode e = byStream.get(stream);
            assertEquals("FORBIDDEN", e.get("kind").asText(), e.toString());
            assertEquals("/job/sample", e.get("stage").asText());
        }
        assertTrue(byStream.get("redirect").get("reason").asText().contains("redirect refused"),
                byStream.get("redirect").toString());
        assertTrue(byStream.get("playlist").get("reason").asText().contains("container format not allowed"),
                byStream.get("playlist").toString());
        assertEquals(0, reachedOther.get(), "no request reached the host outside the allow-list");

        JsonNode tooLong = out.deadLetters().stream().filter(e -> e.get("input").asText().endsWith("events.jsonl:13"))
                .findFirst().orElseThrow(() -> new AssertionError(out.deadLetters().toString()));
        assertEquals("OVER_LIMIT", tooLong.get("kind").asText());
        assertTrue(tooLong.get("reason").asText().contains("max-record-bytes"), tooLong.toString());
        JsonNode greedy = out.deadLetters().stream().filter(e -> e.get("input").asText().equals("greedy"))
                .findFirst().orElseThrow(() -> new AssertionError(out.deadLetters().toString()));
        assertEquals("OVER_LIMIT", greedy.get("kind").asText());
        assertTrue(greedy.get("reason").asText().contains("2147483647"), greedy.toString());
        assertEquals(13, out.deadLetters().size(), () -> out.deadLetters().toString());

        // The job went on: the good stream's question is answered over its video.
        Map<String, JsonNode> answers = StreamFixture.byQuestion(out.answers());
        assertTrue(answers.keySet().containsAll(Set.of("ok")), answers::toString);
        assertEquals(StreamFixture.FRAMES, answers.get("ok").get("frames").asInt());
    }
}
