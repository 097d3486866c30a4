package r1j.train.recipe;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import r1j.gguf.GgufFile;
import r1j.gguf.GgufWriter;
import r1j.tensor.GgmlType;
import r1j.train.autograd.Var;
import r1j.train.nn.AdamW;
import r1j.train.nn.Params;
import r1j.train.nn.TinyConfig;

/**
 * A resumable training state in one GGUF file (r1j's own container, not a model to ship): the parameters, AdamW's
 * first and second moments ({@code adam.m.<name>}, {@code adam.v.<name>}) and the step count. Written atomically by
 * the GGUF writer, so an interrupted save leaves the previous checkpoint intact.
 */
public final class Checkpoint {
    private Checkpoint() {}

    public static void save(Path file, Params p, AdamW opt) throws IOException {
        TinyConfig c = p.config();
        GgufWriter w = new GgufWriter()
                .putString("general.architecture", "r1j-train-checkpoint")
                .putUint32("r1j.train.step", opt.steps())
                .putInt32Array("r1j.train.config", c.dim(), c.hiddenDim(), c.layers(), c.heads(), c.kvHeads(), c.vocab(), c.context())
                .putFloat32Array("r1j.train.config_f", c.rmsEps(), c.ropeTheta());
        for (var e : p.tensors().entrySet()) {
            Var v = e.getValue();
            w.addTensor(e.getKey(), GgmlType.F32, new long[] {v.size()}, bytes(v.value()));
            float[][] mv = opt.moments().get(e.getKey());
            if (mv != null) {
                w.addTensor("adam.m." + e.getKey(), GgmlType.F32, new long[] {v.size()}, bytes(mv[0]));
                w.addTensor("adam.v." + e.getKey(), GgmlType.F32, new long[] {v.size()}, bytes(mv[1]));
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        w.write(file);
    }

    /** Loads parameters into a new {@link Params} and the moments and step into {@code opt} (built on those params). */
    public static Params loadParams(Path file) throws IOException {
        try (GgufFile f = GgufFile.open(file)) {
            int[] c = f.metadata().getIntArray("r1j.train.config");
            float[] cf = f.metadata().getFloatArray("r1j.train.config_f");
            Params p = Params.zeros(new TinyConfig(c[0], c[1], c[2], c[3], c[4], c[5], c[6], cf[0], cf[1]));
            for (var e : p.tensors().entrySet()) {
                float[] data = read(f, e.getKey());
                System.arraycopy(data, 0, e.getValue().value(), 0, data.length);
            }
            return p;
        }
    }

    public static void loadOptimizer(Path file, Params p, AdamW opt) throws IOException {
        try (GgufFile f = GgufFile.open(file)) {
            for (String name : p.tensors().keySet()) {
                if (f.metadata().has("r1j.train.step") && hasTensor(f, "adam.m." + name)) {
                    opt.moments().put(name, new float[][] {read(f, "adam.m." + name), read(f, "adam.v." + name)});
                }
            }
            opt.restore(f.metadata().getInt("r1j.train.step"));
        }
    }

    /** The step a checkpoint was saved at. */
    public static int step(Path file) throws IOException {
        try (GgufFile f = GgufFile.open(file)) {
            return f.metadata().getInt("r1j.train.step");
        }
    }

    private static boolean hasTensor(GgufFile f, String name) {
        return f.tensors().stream().anyMatch(t -> t.name().equals(name));
    }

    private static float[] read(GgufFile f, String name) {
        return f.data(name).toArray(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN));
    }

    private static byte[] bytes(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }
}
