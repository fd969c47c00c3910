package dev.vlflow.engine.onnx;

import static dev.vlflow.engine.onnx.Close.assertClose;
import static dev.vlflow.engine.onnx.Close.random;

import dev.vlflow.engine.reference.BilinearPooling;
import dev.vlflow.engine.testing.InMemoryWeights;
import org.junit.jupiter.api.Test;

/**
 * The pooling block alone (ONNX Resize, linear, half_pixel) vs PyTorch's bilinear interpolation with
 * align_corners=False, written out by hand, on small tensors including the odd 27 -> 14 grid.
 */
class BilinearPoolTest {

    private static float[] pool(float[] x, int frames, int side, int out, int channels) {
        GraphBuilder g = new GraphBuilder("pool_only");
        Value in = g.input("x", Dim.sym("N"), Dim.of(channels));
        Blocks b = new Blocks(g, null);
        g.output(b.bilinearPool("/pool", in, side, out, channels), "y", Dim.sym("M"), Dim.of(channels));
        try (InMemoryWeights none = new InMemoryWeights(InMemoryWeights.tinyConfig(), 0);
             SessionFactory factory = new SessionFactory(none, ExecutionProvider.cpu());
             GraphSession session = factory.open(g.build())) {
            return session.run(new GraphSession.Input(x, (long) frames * side * side, channels))[0];
        }
    }

    @Test
    void oddGrid27To14MatchesPyTorchSemantics() {
        int frames = 2;
        int channels = 3;
        float[] x = random(frames * 27 * 27 * channels, 1.0, 1);
        assertClose(BilinearPooling.poolFrames(x, frames, 27, channels), pool(x, frames, 27, 14, channels),
                1e-5, "27 -> 14");
    }

    @Test
    void smallGridsMatchPyTorchSemantics() {
        int[][] cases = {{8, 4}, {7, 4}, {5, 3}, {4, 2}, {3, 2}};
        for (int[] c : cases) {
            float[] x = random(c[0] * c[0] * 2, 1.0, c[0]);
            assertClose(BilinearPooling.poolFrames(x, 1, c[0], 2), pool(x, 1, c[0], c[1], 2), 1e-5,
                    c[0] + " -> " + c[1]);
        }
    }

    @Test
    void aColumnRampPoolsToTheSourceCoordinate() {
        // value = column index: bilinear interpolation of a linear ramp returns the sampled coordinate,
        // src = (dst + 0.5) * 27/14 - 0.5 (never below 0 or above 26 when shrinking), independent of the reference
        float[] x = new float[27 * 27];
        for (int r = 0; r < 27; r++) {
            for (int c = 0; c < 27; c++) {
                x[r * 27 + c] = c;
            }
        }
        float[] expected = new float[14 * 14];
        for (int r = 0; r < 14; r++) {
            for (int c = 0; c < 14; c++) {
                expected[r * 14 + c] = (float) ((c + 0.5) * 27.0 / 14.0 - 0.5);
            }
        }
        assertClose(expected, pool(x, 1, 27, 14, 1), 1e-5, "ramp");
    }
}
