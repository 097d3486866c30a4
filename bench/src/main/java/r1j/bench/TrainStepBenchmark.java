package r1j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import r1j.train.autograd.Ops;
import r1j.train.autograd.Tape;
import r1j.train.autograd.ThreadRows;
import r1j.train.autograd.Var;
import r1j.train.data.Example;
import r1j.train.data.R1Format;
import r1j.train.data.TinyVocab;
import r1j.train.nn.Params;
import r1j.train.nn.Transformer;
import r1j.train.recipe.TinyR1Recipe;
import r1j.train.task.Problem;

/**
 * One SFT step's forward and backward (no optimiser) of the shipped tiny-R1 shape on 16 cold-start traces padded to
 * their longest, the work {@code r1j train} repeats 3,600 times. ops/s × 16 is training sequences per second; the
 * step is dominated by the register-blocked matmul of {@code r1j.tensor.FloatMatMul}.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar TrainStepBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TrainStepBenchmark {

    @Param({"1", "2"})
    public int threads;

    private ThreadRows rows;
    private Params params;
    private int[] ids;
    private int[] targets;
    private int len;

    @Setup(Level.Trial)
    public void setUp() {
        TinyR1Recipe.Settings s = TinyR1Recipe.Settings.tinyR1(1);
        TinyVocab vocab = new TinyVocab();
        params = Params.init(s.model(), new SplittableRandom(1));
        SplittableRandom rnd = new SplittableRandom(3);
        List<Example> batch = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Problem p = s.sftMix().draw(rnd);
            batch.add(R1Format.example(vocab, p.question(rnd), p.trace(), p.answer()));
        }
        len = batch.stream().mapToInt(Example::length).max().orElseThrow();
        ids = new int[batch.size() * len];
        targets = new int[ids.length];
        Arrays.fill(targets, -1);
        for (int b = 0; b < batch.size(); b++) {
            System.arraycopy(batch.get(b).ids(), 0, ids, b * len, batch.get(b).length());
            System.arraycopy(batch.get(b).targets(), 0, targets, b * len, batch.get(b).length());
        }
        rows = new ThreadRows(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        rows.close();
    }

    @Benchmark
    public float forwardBackward() {
        Tape tape = new Tape(rows);
        Var loss = Ops.crossEntropy(tape, Transformer.forward(tape, params, ids, len), targets);
        tape.backward(loss);
        params.tensors().values().forEach(Var::zeroGrad);
        return loss.value()[0];
    }
}
