package dev.vlflow.engine.decode;

/**
 * Fits a {@link DraftHead} by ridge regression: given pairs of input {@code x = [f; e]} (a hidden state and the next
 * token's embedding) and target {@code y} (the model's hidden state one position on), the weights minimizing
 * {@code sum |W x + b - y|^2 + ridge |W|^2} from the normal equations (accumulated in double, solved by Cholesky).
 * A cheap stand-in for a trained head (no glancing, no distillation loss); enough to measure the hook.
 */
public final class DraftHeadFit {

    private final int hidden;
    private final int inputs;        // 2H + 1 (the constant input carries the bias)
    private final double[] xtx;      // [inputs, inputs]
    private final double[] ytx;      // [H, inputs]
    private long samples;

    public DraftHeadFit(int hidden) {
        this.hidden = hidden;
        this.inputs = 2 * hidden + 1;
        this.xtx = new double[inputs * inputs];
        this.ytx = new double[hidden * inputs];
    }

    public long samples() {
        return samples;
    }

    /**
     * @param feature   [H] hidden state at position i
     * @param embedding [H] embedding of the token at position i + 1
     * @param target    [H] hidden state at position i + 1
     */
    public void add(float[] feature, float[] embedding, float[] target) {
        double[] x = new double[inputs];
        for (int i = 0; i < hidden; i++) {
            x[i] = feature[i];
            x[hidden + i] = embedding[i];
        }
        x[inputs - 1] = 1;
        for (int r = 0; r < inputs; r++) {
            double xr = x[r];
            if (xr == 0) {
                continue;
            }
            for (int c = 0; c < inputs; c++) {
                xtx[r * inputs + c] += xr * x[c];
            }
        }
        for (int r = 0; r < hidden; r++) {
            for (int c = 0; c < inputs; c++) {
                ytx[r * inputs + c] += target[r] * x[c];
            }
        }
        samples++;
    }

    /** The head minimizing the ridge-regularized squared error over the samples added. */
    public DraftHead solve(double ridge) {
        double[] a = xtx.clone();
        for (int i = 0; i < inputs - 1; i++) {
            a[i * inputs + i] += ridge;
        }
        a[inputs * inputs - 1] += 1e-9; // the bias is not shrunk; keep the system definite
        double[] l = cholesky(a, inputs);
        float[] weight = new float[2 * hidden * hidden];
        float[] bias = new float[hidden];
        double[] row = new double[inputs];
        for (int r = 0; r < hidden; r++) {
            System.arraycopy(ytx, r * inputs, row, 0, inputs);
            double[] w = solve(l, inputs, row); // A w = (Y X^T)_r, A symmetric
            for (int c = 0; c < 2 * hidden; c++) {
                weight[r * 2 * hidden + c] = (float) w[c];
            }
            bias[r] = (float) w[inputs - 1];
        }
        return new DraftHead(hidden, weight, bias);
    }

    /** Lower-triangular L with L L^T = a. */
    private static double[] cholesky(double[] a, int n) {
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    s -= l[i * n + k] * l[j * n + k];
                }
                if (i == j) {
                    if (s <= 0) {
                        throw new IllegalStateException("normal equations not positive definite: add samples or ridge");
                    }
                    l[i * n + i] = Math.sqrt(s);
                } else {
                    l[i * n + j] = s / l[j * n + j];
                }
            }
        }
        return l;
    }

    private static double[] solve(double[] l, int n, double[] b) {
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i * n + k] * y[k];
            }
            y[i] = s / l[i * n + i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = y[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k * n + i] * x[k];
            }
            x[i] = s / l[i * n + i];
        }
        return x;
    }
}
