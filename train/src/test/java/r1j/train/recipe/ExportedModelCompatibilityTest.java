package r1j.train.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import r1j.model.Batch;
import r1j.model.LanguageModel;
import r1j.model.ModelLoader;
import r1j.tokenizer.Tokenizer;
import r1j.train.autograd.Rows;
import r1j.train.autograd.Tape;
import r1j.train.autograd.Var;
import r1j.train.data.R1Format;
import r1j.train.data.TinyVocab;
import r1j.train.nn.Params;
import r1j.train.nn.TinyConfig;
import r1j.train.nn.Transformer;
import r1j.train.task.Arithmetic;

/** The exported file is an ordinary model: r1j.model and r1j.tokenizer read it exactly as training computes it. */
class ExportedModelCompatibilityTest {
    private final TinyVocab vocab = new TinyVocab();

    private Params spreadWeights(TinyConfig c) {
        // larger-than-init weights so the logits differ clearly between positions and a layout slip cannot hide
        Params p = Params.init(c, new SplittableRandom(9));
        SplittableRandom rnd = new SplittableRandom(10);
        p.tensors().forEach((name, v) -> {
            for (int i = 0; i < v.size(); i++) {
                v.value()[i] = Params.isNorm(name) ? (float) (1 + 0.2 * rnd.nextGaussian()) : v.value()[i] * 12;
            }
        });
        return p;
    }

    @Test
    void modelLoader_computesTheTrainingForwardLogits(@TempDir Path dir) throws Exception {
        TinyConfig c = new TinyConfig(32, 64, 2, 4, 2, vocab.size(), 64, 1e-5f, 10000f);
        Params p = spreadWeights(c);
        Path file = dir.resolve("tiny.gguf");
        GgufExport.write(p, vocab, "tiny-r1-test", "compatibility test", file);
        int[] ids = vocab.encode(R1Format.prompt("What is 347 + 589?") + "347+589\n7+9=16");
        Var expected = Transformer.forward(new Tape(Rows.SERIAL), p, ids, ids.length);
        try (LanguageModel m = ModelLoader.load(file)) {
            assertThat(m.config().architecture()).isEqualTo("llama");
            float[] logits = new float[ids.length * c.vocab()];
            m.forward(Batch.ofSequence(ids, 0, true), m.newCache(1, c.context()), logits);
            float scale = 0;
            for (float f : expected.value()) {
                scale = Math.max(scale, Math.abs(f));
            }
            assertThat(scale).isGreaterThan(1f);
            for (int i = 0; i < logits.length; i++) {
                assertThat(logits[i]).as("logit %d (row %d)", i, i / c.vocab()).isCloseTo(expected.value()[i], within(2e-4f * scale));
            }
        }
    }

    /** The model card's licence is the repository's: LICENSE is MIT, so the metadata says {@code mit}. */
    @Test
    void metadata_licenseIsTheRepositorysLicense(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tiny.gguf");
        GgufExport.write(Params.init(new TinyConfig(16, 32, 1, 2, 1, vocab.size(), 32, 1e-5f, 10000f), new SplittableRandom(1)),
                vocab, "tiny-r1-test", "licence test", file);
        assertThat(java.nio.file.Files.readString(Path.of("../LICENSE")).lines().findFirst().orElseThrow()).isEqualTo("MIT License");
        try (var gguf = r1j.gguf.GgufFile.open(file)) {
            assertThat(gguf.metadata().getString("general.license")).isEqualTo("mit");
        }
    }

    @Test
    void tokenizer_encodesTrainingTextLikeTheTrainingVocabulary(@TempDir Path dir) throws Exception {
        TinyConfig c = new TinyConfig(16, 32, 1, 2, 1, vocab.size(), 64, 1e-5f, 10000f);
        Path file = dir.resolve("tiny.gguf");
        GgufExport.write(Params.init(c, new SplittableRandom(1)), vocab, "tiny-r1-test", "tokenizer test", file);
        Tokenizer t = Tokenizer.load(file, null);
        Arithmetic p = new Arithmetic('-', 254, 789);
        String[] texts = {
                R1Format.prompt(p.question()) + R1Format.completion(p.trace(), p.answer()),
                R1Format.prompt("Use 3, 5, 7, 9 to make 24") + "9+7+5+3",
                "What is 347 + 589?", "347*12", "compute 12 x 34", "Subtract 958 from 440.", "  héllo wörld 12345\n\n",
        };
        for (String text : texts) {
            assertThat(t.encode(text, false, true)).as(text).containsExactly(vocab.encode(text));
        }
        assertThat(t.encode("hi", true, true)[0]).isEqualTo(vocab.bos());
    }
}
