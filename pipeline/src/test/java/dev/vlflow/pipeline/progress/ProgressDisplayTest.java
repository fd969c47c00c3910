package dev.vlflow.pipeline.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The choice of display (bars only on a terminal) and the bar drawn by the library on a stream. */
class ProgressDisplayTest {

    @Test
    void aBarOnAStreamReachesOneHundredPercent() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Progress p = new ProgressDisplay.Bars(Optional.of(out)).start("eval", 7, "videos")) {
            assertTrue(p.drawsBar());
            for (int i = 0; i < 7; i++) {
                p.message("accuracy 50.0%");
                p.step();
            }
        }
        String drawn = bytes.toString(StandardCharsets.UTF_8);
        String last = drawn.substring(drawn.stripTrailing().lastIndexOf('\r') + 1).strip();
        assertTrue(last.startsWith("eval 100%"), last);
        assertTrue(last.contains("7/7 videos"), last);
        assertTrue(last.contains("accuracy 50.0%"), last);
        assertFalse(drawn.contains("\u001b"), "a bar on a plain stream draws with carriage returns only");
    }

    @Test
    void closingTwiceDrawsTheLastStateOnce() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new ProgressDisplay.Bars(Optional.of(new PrintStream(bytes, true, StandardCharsets.UTF_8)))
                .start("make-dataset", 1, "videos");
        p.step();
        p.close();
        int length = bytes.size();
        p.close();
        assertEquals(length, bytes.size());
    }

    @Test
    void withoutATerminalThereIsNoBar() {
        // surefire's forked JVM has no console: the case of a redirected stderr, a pipe or CI
        assertEquals(null, System.console());
        ProgressDisplay auto = ProgressDisplay.auto();
        assertInstanceOf(ProgressDisplay.None.class, auto);
        Progress p = auto.start("eval", 3, "videos");
        assertFalse(p.drawsBar());
        assertInstanceOf(Progress.Off.class, p);
    }

    @Test
    void thePropertyTurnsBarsOffAndRejectsOtherValues() {
        String before = System.getProperty(ProgressDisplay.PROPERTY);
        try {
            System.setProperty(ProgressDisplay.PROPERTY, "off");
            assertInstanceOf(ProgressDisplay.None.class, ProgressDisplay.auto());
            System.setProperty(ProgressDisplay.PROPERTY, "sometimes");
            assertThrows(IllegalArgumentException.class, ProgressDisplay::auto);
        } finally {
            if (before == null) {
                System.clearProperty(ProgressDisplay.PROPERTY);
            } else {
                System.setProperty(ProgressDisplay.PROPERTY, before);
            }
        }
    }
}
