package r1j.train.autograd;

/**
 * A differentiable value: a row-major {@code [rows, cols]} float matrix and, once backward has touched it, its gradient
 * of the same shape. Parameters keep their gradient between steps until {@link #zeroGrad()}.
 */
public final class Var {
    private final int rows;
    private final int cols;
    private final float[] value;
    private float[] grad;

    /** Wraps {@code value} (not copied) as a {@code [rows, cols]} matrix. */
    public Var(int rows, int cols, float[] value) {
        if ((long) rows * cols != value.length) {
            throw new IllegalArgumentException("shape [%d, %d] does not match %d values".formatted(rows, cols, value.length));
        }
        this.rows = rows;
        this.cols = cols;
        this.value = value;
    }

    /** A zero-filled {@code [rows, cols]} matrix. */
    public static Var zeros(int rows, int cols) {
        return new Var(rows, cols, new float[rows * cols]);
    }

    public int rows() { return rows; }

    public int cols() { return cols; }

    public int size() { return value.length; }

    /** The values, row-major; writable so optimisers update parameters in place. */
    public float[] value() { return value; }

    /** The gradient, allocated (zero) on first use. */
    public float[] grad() {
        if (grad == null) {
            grad = new float[value.length];
        }
        return grad;
    }

    /** True when some backward step has written a gradient. */
    public boolean hasGrad() { return grad != null; }

    /** Zeroes the gradient (keeps the array). */
    public void zeroGrad() {
        if (grad != null) {
            java.util.Arrays.fill(grad, 0f);
        }
    }
}
