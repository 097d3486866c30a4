package r1j.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import r1j.gguf.GgufFile;
import r1j.gguf.GgufTensorInfo;
import r1j.tensor.WeightMatrix;

/**
 * Looks an architecture's tensors up in a GGUF file by name, checks their shapes, collects every problem and reports
 * them together at {@link #finish} (with the tensors the architecture did not use), so a wrong file fails once with
 * the whole list instead of one name at a time.
 */
final class TensorBinder {

    private final GgufFile file;
    private final Set<String> used = new HashSet<>();
    private final List<String> problems = new ArrayList<>();

    TensorBinder(GgufFile file) { this.file = file; }

    /** A 2-D tensor {@code ne = [cols, rows]} as {@code W [rows, cols]}. */
    WeightMatrix matrix(String name, int rows, int cols) {
        GgufTensorInfo info = info(name);
        if (info == null) return null;
        long[] d = info.dims();
        if (d.length != 2 || d[0] != cols || d[1] != rows) {
            problems.add("tensor %s has dims %s, expected [%d, %d]".formatted(name, Arrays.toString(d), cols, rows));
            return null;
        }
        return file.matrix(info);
    }

    /**
     * A 3-D tensor {@code ne = [cols, rows, count]} (one matrix per expert, as llama.cpp stores {@code *_exps}) as
     * {@code count} views {@code W_e [rows, cols]} over the mapping; nothing is read until a token uses an expert.
     */
    WeightMatrix[] stacked(String name, int count, int rows, int cols) {
        GgufTensorInfo info = info(name);
        if (info == null) return null;
        long[] d = info.dims();
        if (d.length != 3 || d[0] != cols || d[1] != rows || d[2] != count) {
            problems.add("tensor %s has dims %s, expected [%d, %d, %d]".formatted(name, Arrays.toString(d), cols, rows, count));
            return null;
        }
        WeightMatrix all = file.matrix(info);
        WeightMatrix[] out = new WeightMatrix[count];
        for (int e = 0; e < count; e++) out[e] = all.rowRange(e * rows, rows);
        return out;
    }

    /**
     * A 3-D tensor {@code ne = [cols, rows, count]} as one {@code [count * rows, cols]} matrix: block {@code e} is
     * rows {@code e * rows .. (e + 1) * rows - 1}.
     */
    WeightMatrix matrix3(String name, int count, int rows, int cols) {
        GgufTensorInfo info = info(name);
        if (info == null) return null;
        long[] d = info.dims();
        if (d.length != 3 || d[0] != cols || d[1] != rows || d[2] != count) {
            problems.add("tensor %s has dims %s, expected [%d, %d, %d]".formatted(name, Arrays.toString(d), cols, rows, count));
            return null;
        }
        return file.matrix(info);
    }

    /** A 1-D tensor of {@code n} values, read into a new array. */
    float[] vector(String name, int n) {
        GgufTensorInfo info = info(name);
        if (info == null) return null;
        if (info.elements() != n || info.dims()[0] != n) {
            problems.add("tensor %s has dims %s, expected [%d]".formatted(name, Arrays.toString(info.dims()), n));
            return null;
        }
        return file.floats(name);
    }

    /** {@link #vector} when {@code required} or present in the file, else {@code null}. */
    float[] bias(String name, int n, boolean required) {
        return required || has(name) ? vector(name, n) : null;
    }

    boolean has(String name) {
        return file.tensor(name) != null;
    }

    private GgufTensorInfo info(String name) {
        GgufTensorInfo info = file.tensor(name);
        if (info == null) {
            problems.add("missing tensor " + name);
            return null;
        }
        used.add(name);
        return info;
    }

    /**
     * @throws ModelLoadException listing up to ten problems: missing or misshapen tensors, and tensors of the file
     *                            that {@code arch} does not use
     */
    void finish(String arch) {
        for (GgufTensorInfo t : file.tensors()) {
            if (!used.contains(t.name())) problems.add("tensor %s is not used by architecture %s".formatted(t.name(), arch));
        }
        if (!problems.isEmpty()) {
            int shown = Math.min(problems.size(), 10);
            throw new ModelLoadException("%s: %s%s".formatted(file.path(), String.join("; ", problems.subList(0, shown)),
                    problems.size() > shown ? "; and %d more".formatted(problems.size() - shown) : ""));
        }
    }
}
