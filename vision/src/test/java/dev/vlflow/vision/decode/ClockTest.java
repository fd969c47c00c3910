package dev.vlflow.vision.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClockTest {

    @Test
    void convertsTicksToMicrosecondsRoundingToNearestLikeAvRescaleQ() {
        Clock mp4At30 = new Clock(1, 15360);   // 512 ticks per frame at 30 fps
        assertEquals(0, mp4At30.micros(0));
        assertEquals(33_333, mp4At30.micros(512));        // 33 333.33
        assertEquals(66_667, mp4At30.micros(1024));       // 66 666.67
        assertEquals(1_000_000, mp4At30.micros(15_360));
        assertEquals(-33_333, mp4At30.micros(-512));
        Clock ntsc = new Clock(1001, 30000);
        assertEquals(33_367, ntsc.micros(1));             // 33 366.67
        assertEquals(512, mp4At30.ticks(33_333));
        Clock ms = new Clock(1, 1000);
        assertEquals(1500, ms.micros(1) + ms.micros(0) + 500);
    }

    @Test
    void survivesProductsBeyondSixtyFourBits() {
        Clock clock = new Clock(1, 90_000);
        long ticks = Long.MAX_VALUE / 1000;
        assertEquals(Math.round(ticks / 0.09), clock.micros(ticks), 2048);
    }
}
