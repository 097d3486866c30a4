package r1j.train.recipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import r1j.train.autograd.Rows;
import r1j.train.data.Example;
import r1j.train.data.R1Format;
import r1j.train.data.TinyVocab;
import r1j.train.nn.AdamW;
import r1j.train.nn.Params;
import r1j.train.nn.TinyConfig;
import r1j.train.task.Problem;
import r1j.train.task.Tasks;

class CheckpointTest {
    private final TinyVocab vocab = new TinyVocab();
    private final TinyConfig config = new TinyConfig(8, 16, 1, 2, 1, vocab.size(), 128, 1e-5f, 10000f);
    private final Sft.Options options = new Sft.Options(Sft.CHECKPOINT_EVERY + 8, 2, 3e-3f, 4, 200);
    private final Function<RandomGenerator, Example> data = rnd -> {
        Problem p = Tasks.draw(rnd, "add", 1, Tasks.Side.TRAIN);
        return R1Format.example(vocab, p.question(rnd), p.trace(), p.answer());
    };

    @Test
    void sft_resumedFromCheckpoint_continuesExactlyLikeAnUninterruptedRun(@TempDir Path dir) throws Exception {
        Params straight = Params.init(config, new SplittableRandom(1));
        List<Float> straightLosses = new ArrayList<>();
        Sft.train(straight, data, 7, vocab.eos(), options, Rows.SERIAL, Sft.optimizer(straight, options),
                s -> straightLosses.add(s.loss()), step -> {});

        Params first = Params.init(config, new SplittableRandom(1));
        AdamW opt = Sft.optimizer(first, options);
        Path ckpt = dir.resolve("sft.ckpt.gguf");
        Sft.Options shortRun = new Sft.Options(Sft.CHECKPOINT_EVERY, options.batch(), options.lr(), options.warmup(), options.maxLen());
        Sft.train(first, data, 7, vocab.eos(), shortRun, Rows.SERIAL, opt, s -> {}, step -> {});
        Checkpoint.save(ckpt, first, opt);

        Params resumed = Checkpoint.loadParams(ckpt);
        AdamW resumedOpt = Sft.optimizer(resumed, options);
        Checkpoint.loadOptimizer(ckpt, resumed, resumedOpt);
        assertThat(Checkpoint.step(ckpt)).isEqualTo(Sft.CHECKPOINT_EVERY);
        List<Float> resumedLosses = new ArrayList<>();
        Sft.train(resumed, data, 7, vocab.eos(), options, Rows.SERIAL, resumedOpt, s -> resumedLosses.add(s.loss()), step -> {});

        assertThat(resumedLosses).containsExactlyElementsOf(straightLosses.subList(Sft.CHECKPOINT_EVERY, straightLosses.size()));
        straight.tensors().forEach((name, v) -> assertThat(resumed.get(name).value()).as(name).containsExactly(v.value()));
    }
}
