package dev.vlflow.connectors.videomme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SRT parsing as Video-MME ships it, and alignment to sampled frames as lmms-eval computes it. */
class SubtitlesTest {

    // Video-MME style: every text line wrapped in <font ...>; CRLF line ends; a BOM; a two-line cue.
    private static final String SRT = "\uFEFF1\r\n00:00:00,000 --> 00:00:02,000\r\n"
            + "<font color=\"white\" size=\".72c\">Hello there</font>\r\n\r\n"
            + "2\r\n00:00:02,000 --> 00:00:04,500\r\n"
            + "<font color=\"white\" size=\".72c\">General</font>\r\n"
            + "<font color=\"white\" size=\".72c\">Kenobi</font>\r\n\r\n"
            + "3\r\n00:00:10,000 --> 00:00:11,000\r\n"
            + "<font color=\"white\" size=\".72c\">Later line</font>\r\n";

    @Test
    void parsesTimesAndStripsFontTags(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("abc.srt");
        Files.writeString(file, SRT);
        Subtitles s = SrtReader.read(file);
        assertEquals(List.of(new SubtitleCue(0, 2, "Hello there"), new SubtitleCue(2, 4.5, "General Kenobi"),
                new SubtitleCue(10, 11, "Later line")), s.cues());
        assertEquals(List.of("Hello there", "General Kenobi", "Later line"), s.allTexts());
    }

    @Test
    void alignsToSampledFrames() {
        Subtitles s = SrtReader.parse(SRT, "test");
        double fps = 10; // 120 frames, 12 s
        // np.linspace(0, 119, 4, dtype=int) = [0, 39, 79, 119]: cue 1 covers frames [0,20), cue 2 [20,45), cue 3 [100,110)
        assertEquals(List.of("Hello there", "General Kenobi"), s.alignedTo(new int[] {0, 39, 79, 119}, fps));
        // several frames in one cue give it once; track order is kept whatever the frame order
        assertEquals(List.of("Hello there", "Later line"), s.alignedTo(new int[] {105, 5, 10}, fps));
        // the end is exclusive: int(4.5 * 10) = 45
        assertEquals(List.of("General Kenobi"), s.alignedTo(new int[] {44}, fps));
        assertEquals(List.of(), s.alignedTo(new int[] {45}, fps));
    }

    @Test
    void badFilesFailClearly() {
        AnnotationException e = assertThrows(AnnotationException.class,
                () -> SrtReader.parse("1\n00:00:01 -> 00:00:02\nhi\n", "bad.srt"));
        assertTrue(e.getMessage().contains("bad.srt"), e.getMessage());
        assertThrows(AnnotationException.class,
                () -> SrtReader.parse("1\n00:00:03,000 --> 00:00:02,000\nbackwards\n", "bad.srt"));
        assertThrows(AnnotationException.class, () -> SrtReader.read(Path.of("does-not-exist.srt")));
    }

    @Test
    void indexLineIsOptionalAndDotsParse() {
        Subtitles s = SrtReader.parse("00:01:02.250 --> 00:01:03.000\n<font>plain</font> text\n", "x");
        assertEquals(List.of(new SubtitleCue(62.25, 63, "plain text")), s.cues());
    }
}
