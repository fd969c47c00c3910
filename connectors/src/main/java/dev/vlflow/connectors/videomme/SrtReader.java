package dev.vlflow.connectors.videomme;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads SubRip ({@code .srt}) files. Video-MME wraps every text line as
 * {@code <font color="white" size=".72c">...</font>}; the wrapping is removed. A block is
 * <pre>
 * 12
 * 00:01:02,500 --> 00:01:04,000
 * &lt;font color="white" size=".72c"&gt;text&lt;/font&gt;
 * (more text lines)
 * (blank line)
 * </pre>
 * The index line is optional; {@code ,} or {@code .} before the milliseconds both parse.
 */
public final class SrtReader {

    private static final Pattern TIMES = Pattern.compile(
            "(\\d+):(\\d{1,2}):(\\d{1,2})[,.](\\d{1,3})\\s*-->\\s*(\\d+):(\\d{1,2}):(\\d{1,2})[,.](\\d{1,3})");
    private static final Pattern FONT = Pattern.compile("(?i)</?font\\b[^>]*>");

    private SrtReader() {
    }

    public static Subtitles read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new AnnotationException(file + ": cannot read subtitles: " + e.getMessage(), e);
        }
    }

    /** Parses SRT text; {@code where} names the source in errors. */
    public static Subtitles parse(String content, String where) {
        String text = content.replace("\uFEFF", "").replace("\r\n", "\n").replace('\r', '\n');
        List<SubtitleCue> cues = new ArrayList<>();
        String[] blocks = text.split("\n\\s*\n");
        for (String block : blocks) {
            if (block.isBlank()) {
                continue;
            }
            String[] lines = block.strip().split("\n");
            int t = lines[0].contains("-->") ? 0 : 1;
            if (t >= lines.length) {
                throw new AnnotationException(where + ": subtitle block without a time line: '" + block.strip() + "'");
            }
            Matcher m = TIMES.matcher(lines[t]);
            if (!m.find()) {
                throw new AnnotationException(where + ": bad subtitle time line '" + lines[t] + "'");
            }
            StringBuilder body = new StringBuilder();
            for (int i = t + 1; i < lines.length; i++) {
                String line = clean(lines[i]);
                if (!line.isEmpty()) {
                    body.append(body.length() == 0 ? "" : " ").append(line);
                }
            }
            try {
                cues.add(new SubtitleCue(seconds(m, 1), seconds(m, 5), body.toString()));
            } catch (IllegalArgumentException e) {
                throw new AnnotationException(where + ": " + e.getMessage() + " in '" + lines[t] + "'", e);
            }
        }
        return new Subtitles(cues);
    }

    /** A text line without its {@code <font>} tags. */
    static String clean(String line) {
        return FONT.matcher(line).replaceAll("").strip();
    }

    private static double seconds(Matcher m, int group) {
        double frac = Integer.parseInt(m.group(group + 3)) / 1000.0; // as lmms-eval: int(ms) / 1000
        return Integer.parseInt(m.group(group)) * 3600.0 + Integer.parseInt(m.group(group + 1)) * 60.0
                + Integer.parseInt(m.group(group + 2)) + frac;
    }
}
