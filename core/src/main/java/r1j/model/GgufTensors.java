package r1j.model;

import r1j.gguf.GgufFile;
import r1j.gguf.GgufTensorInfo;
import r1j.tensor.WeightMatrix;

/** Views a GGUF tensor as a {@link WeightMatrix}: {@code cols = ne[0]}, {@code rows} = the product of the other dims. */
final class GgufTensors {

    private GgufTensors() {}

    static WeightMatrix matrix(GgufFile file, GgufTensorInfo t) {
        long cols = t.dims()[0];
        long rows = t.elements() / cols;
        if (rows > Integer.MAX_VALUE || cols > Integer.MAX_VALUE) {
            throw new ModelLoadException("tensor %s is too large for one matrix (%d x %d)".formatted(t.name(), rows, cols));
        }
        return WeightMatrix.of(t.type(), file.data(t), (int) rows, (int) cols);
    }
}
