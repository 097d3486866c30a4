package r1j.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import r1j.model.Batch;
import r1j.model.GoldenModels;
import r1j.model.KvCache;
import r1j.model.LanguageModel;
import r1j.model.ModelLoader;

/** Golden models and a plain, engine-free greedy loop to compare the engine with. */
final class EngineFixtures {

    static final String QWEN = "qwen2-tiny";
    static final String LLAMA = "llama-tiny";

    private EngineFixtures() {}

    static Path model(String variant, String type) {
        return GoldenModels.model(variant, type);
    }

    /** The manifest's greedy prompt (ends in {@code <think>\n}). */
    static int[] greedyPrompt(String variant) {
        return GoldenModels.ints(GoldenModels.manifest(variant).path("greedy").path("prompt_ids"), "greedy.prompt_ids");
    }

    /** llama.cpp's greedy ids for {@code type} computed on dequantized weights in F32 (what r1j computes). */
    static int[] llamaCppGreedyIds(String variant, String type) {
        return GoldenModels.ints(GoldenModels.manifest(variant).path("types").path(type)
                .path("dequantized_f32_math").path("greedy_ids"), "types." + type + ".dequantized_f32_math.greedy_ids");
    }

    static int[] sequence48(String variant) {
        return GoldenModels.sequence(variant, "seq48");
    }

    static Engine load(String variant, String type, EngineOptions options) {
        try {
            return Engine.load(model(variant, type), options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The textbook loop without the engine: prompt in one batch, then feed back the argmax (lowest id on ties)
     * {@code steps} times, never stopping at EOS.
     */
    static int[] plainGreedy(String variant, String type, int[] prompt, int steps) {
        try (LanguageModel model = ModelLoader.load(model(variant, type))) {
            int vocab = model.config().vocab();
            KvCache cache = model.newCache(1, prompt.length + steps + 1);
            float[] logits = new float[vocab];
            model.forward(Batch.ofSequence(prompt, 0, false), cache, logits);
            int[] out = new int[steps];
            for (int s = 0; s < steps; s++) {
                out[s] = GoldenModels.argmax(logits, 0, vocab);
                model.forward(Batch.ofSequence(new int[] {out[s]}, prompt.length + s, false), cache, logits);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] slice(int[] a, int from, int to) {
        return Arrays.copyOfRange(a, from, to);
    }
}
