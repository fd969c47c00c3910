package dev.vlflow.vision.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Java PIL reference reproduces Pillow 9.4's BICUBIC resize exactly (goldens from make_goldens.py). */
class PilBicubicTest {

    @ParameterizedTest(name = "64x48 -> {0}x{1}")
    @CsvSource({"40, 30", "100, 80", "37, 61", "64, 48"})
    void matchesPillowBitForBit(int width, int height) throws IOException {
        byte[] image = PreprocessorTest.testImage(64, 48);
        assertArrayEquals(PreprocessorTest.golden(width, height),
                ReferenceResize.pilBicubic(image, 64, 48, width, height));
    }
}
