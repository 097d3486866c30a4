package r1j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static r1j.engine.EngineFixtures.LLAMA;
import static r1j.engine.EngineFixtures.QWEN;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import r1j.chat.ChatMessage;
import r1j.chat.ThinkingBudget;
import r1j.model.GoldenModels;
import r1j.sample.SampledToken;
import r1j.sample.SamplerSettings;

@Timeout(value = 300, unit = TimeUnit.SECONDS) // a hang detector only: generous for a loaded machine
class EngineGenerationTest {

    private static final EngineOptions SMALL = EngineOptions.defaults().withContextSize(256);

    private static GenerationRequest greedy(int[] prompt, int maxTokens) {
        return GenerationRequest.tokens(prompt).withSampling(SamplerSettings.greedy()).withMaxTokens(maxTokens)
                .withIgnoreEos(true);
    }

    @Test
    void generate_greedy_matchesLlamaCppGreedyIds_qwen2TinyF16() throws Exception {
        int[] expected = EngineFixtures.llamaCppGreedyIds(QWEN, "F16");
        try (Engine engine = EngineFixtures.load(QWEN, "F16", SMALL)) {
            Completion c = engine.generate(greedy(EngineFixtures.greedyPrompt(QWEN), expected.length));
            assertThat(c.first().tokens()).containsExactly(expected);
            assertThat(c.first().finishReason()).isEqualTo(FinishReason.LENGTH);
            assertThat(c.first().usage().completionTokens()).isEqualTo(expected.length);
            assertThat(c.first().usage().promptTokens()).isEqualTo(EngineFixtures.greedyPrompt(QWEN).length);
        }
    }

    @Test
    void generate_greedy_equalsPlainModelLoop_llamaTinyQ8() throws Exception {
        int[] prompt = EngineFixtures.greedyPrompt(LLAMA);
        int[] expected = EngineFixtures.plainGreedy(LLAMA, "Q8_0", prompt, 20);
        try (Engine engine = EngineFixtures.load(LLAMA, "Q8_0", SMALL)) {
            assertThat(engine.generate(greedy(prompt, 20)).first().tokens()).containsExactly(expected);
        }
    }

    @Test
    void generate_chatPrompt_rendersTheGoldenPromptAndContinuesLikeLlamaCpp() throws Exception {
        int[] expected = EngineFixtures.llamaCppGreedyIds(QWEN, "F16");
        try (Engine engine = EngineFixtures.load(QWEN, "F16", SMALL)) {
            GenerationRequest r = GenerationRequest.chat(List.of(ChatMessage.user("What is 12+7? Answer briefly.")))
                    .withSampling(SamplerSettings.greedy()).withMaxTokens(expected.length).withIgnoreEos(true);
            assertThat(engine.tokenize(r.prompt())).containsExactly(EngineFixtures.greedyPrompt(QWEN));
            Completion c = engine.generate(r);
            assertThat(c.first().tokens()).containsExactly(expected);
            // The template ends the prompt in <think>\n, so everything generated is thought.
            assertThat(c.first().answer()).isEmpty();
            assertThat(c.first().reasoning()).isNotEmpty();
            assertThat(c.first().usage().reasoningTokens()).isEqualTo(expected.length);
        }
    }

    @Test
    void generate_logprobs_matchLlamaCppLogitsOfTheFirstStep() throws Exception {
        float[] stepLogits = GoldenModels.f32(QWEN, "F16.greedy.logits.f32"); // row 0: after the prompt
        int vocab = 512;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, stepLogits[i]);
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += Math.exp(stepLogits[i] - max);
        }
        double logZ = max + Math.log(sum);
        int first = EngineFixtures.llamaCppGreedyIds(QWEN, "F16")[0];
        try (Engine engine = EngineFixtures.load(QWEN, "F16", SMALL)) {
            Choice c = engine.generate(greedy(EngineFixtures.greedyPrompt(QWEN), 2).withLogprobs(3)).first();
            assertThat(c.logprobs()).hasSize(2);
            SampledToken t = c.logprobs().getFirst();
            assertThat(t.token()).isEqualTo(first);
            // These are llama.cpp's native F16 logits, which differ from F32 math by up to ~3e-3 (golden README);
            // a log-probability carries that error twice (the logit and the normaliser).
            assertThat((double) t.logprob()).isCloseTo(stepLogits[first] - logZ, org.assertj.core.data.Offset.offset(1e-2));
            assertThat(t.top()).hasSize(3);
            assertThat(t.top().getFirst().token()).isEqualTo(first);
        }
    }

    @Test
    void generate_maxTokens_endsWithLength() throws Exception {
        try (Engine engine = EngineFixtures.load(QWEN, "F16", SMALL)) {
            Choice c = engine.generate(greedy(EngineFixtures.greedyPrompt(QWEN), 5)).first();
            assertThat(c.finishReason()).isEqualTo(FinishReason.LENGTH);
            assertThat(c.tokens()).hasSize(5);
            assertThat(c.usage().completionTokens()).isEqualTo(5);
        }
    }

    @Test
    void generate_contextFull_endsWithLength() throws Exception {
        int[] prompt = EngineFixtures.greedyPrompt(QWEN); // 27 tokens
        try (Engine engine = EngineFixtures.load(QWEN, "F16", SMALL.withContextSize(32))) {
            Choice c = engine.generate(greedy(prompt, -1)).first();
            assertThat(c.finishReason()).isEqualTo(FinishReason.LENGTH);
            // 32 positions hold the prompt and 5 fed tokens; the 6th sampled token needs no position.
            assertThat(c.tokens()).hasSize(32 - prompt.length + 1);
        }
    }

    @Test
    void generate_endOfGenerationToken_endsTheChoiceWithStop_unlessIgnored() throws Exception {
        // At temperature 100 the tiny model samples almost uniformly over its 512 tokens; with this seed the
        // sampled run meets an end-of-generation token within a few tokens (found by trying seeds).
        SamplerSettings hot = SamplerSettings.greedy().withTemperature(100f).withSeed(115);
        int[] prompt = EngineFixtures.slice(EngineFixtures.sequence48(QWEN), 0, 8);
        try (Engine engine = EngineFixtures.load(QWEN, "F16", SMALL)) {
            GenerationRequest r = GenerationRequest.tokens(prompt).withSampling(hot).withMaxTokens(64);
            Completion c = engine.generate(r);
            Choice choice = c.first();
            int[] t = choice.tokens();
            assertThat(choice.finishReason()).isEqualTo(FinishReason.STOP);
            assertThat(engine.tokenizer().isEndOfGeneration(t[t.length - 1])).isTrue();
            for (int i = 0; i < t.length - 1; i++) {
                assertThat(engine.tokenizer().isEndOfGeneration(t[i])).isFalse();
            }
            int firstStop = c.first().tokens().length;
            Choice ignoring = engine.generate(r.withIgnoreEos(true).withMaxTokens(firstStop + 5)).first();
            assertThat(ignoring.finishReason()).isEqualTo(FinishReason.LENGTH);
            assertThat(EngineFixtures.slice(ignoring.tokens(), 0, firstStop)).containsExactly(c.first().tokens());
        }
    }

    @Test
    void thinkingBudget_forcesCloseTokensAfterExactlyNReasoningTokens() throws Exception {
        int[] prompt = EngineFixtures.greedyPrompt(QWEN);
        int[] greedyIds = EngineFixtures.llamaCppGreedyIds(QWEN, "F16");
        try (Engine engine = EngineFixtures.load(QWEN, "F16", SMALL)) {
            int[] close = engine.tokenizer().encode(ThinkingBudget.CLOSE_TEXT, false, true);
            int budget = 4;
            Choice c = engine.generate(greedy(prompt, budget + close.length + 3).withThinkingBudget(budget)).first();
            int[] tokens = c.tokens();
            assertThat(EngineFixtures.slice(tokens, 0, budget)).containsExactly(EngineFixtures.slice(greedyIds, 0, budget));
            assertThat(EngineFixtures.slice(tokens, budget, budget + close.length)).containsExactly(close);
            assertThat(tokens).hasSize(budget + close.length + 3);
            assertThat(c.usage().reasoningTokens()).isEqualTo(budget);
            assertThat(c.answer()).isEqualTo(engine.tokenizer().decode(
                    EngineFixtures.slice(tokens, budget + close.length, tokens.length), false));
        }
    }

    @Test
    void thinkingBudget_closeTokensNeverPushPastMaxTokens() throws Exception {
        int[] prompt = EngineFixtures.greedyPrompt(QWEN);
        try (Engine engine = EngineFixtures.load(QWEN, "F16", SMALL)) {
            int[] close = engine.tokenizer().encode(ThinkingBudget.CLOSE_TEXT, false, true);
            assertThat(close.length).as("the closing text is several tokens").isGreaterThan(1);
            int budget = 4;
            int max = budget + 1; // room for only the first closing token
            Choice c = engine.generate(greedy(prompt, max).withThinkingBudget(budget)).first();
            assertThat(c.tokens()).hasSize(max);
            assertThat(c.tokens()[budget]).isEqualTo(close[0]);
            assertThat(c.finishReason()).isEqualTo(FinishReason.LENGTH);
            Choice zero = engine.generate(greedy(prompt, 1).withThinkingBudget(0)).first();
            assertThat(zero.tokens()).containsExactly(close[0]);
            assertThat(zero.finishReason()).isEqualTo(FinishReason.LENGTH);
        }
    }

    @Test
    void thinkingBudgetZero_closesTheThoughtBeforeSampling() throws Exception {
        int[] prompt = EngineFixtures.greedyPrompt(QWEN);
        try (Engine engine = EngineFixtures.load(QWEN, "F16", SMALL)) {
            int[] close = engine.tokenizer().encode(ThinkingBudget.CLOSE_TEXT, false, true);
            Choice c = engine.generate(greedy(prompt, close.length + 4).withThinkingBudget(0)).first();
            assertThat(EngineFixtures.slice(c.tokens(), 0, close.length)).containsExactly(close);
            assertThat(c.usage().reasoningTokens()).isZero();
            assertThat(c.reasoning()).isEmpty();
            // What follows the forced close is the plain greedy continuation of prompt + close.
            int[] full = new int[prompt.length + close.length];
            System.arraycopy(prompt, 0, full, 0, prompt.length);
            System.arraycopy(close, 0, full, prompt.length, close.length);
            assertThat(EngineFixtures.slice(c.tokens(), close.length, c.tokens().length))
                    .containsExactly(EngineFixtures.plainGreedy(QWEN, "F16", full, 4));
        }
    }

    @Test
    void stopString_endsTheAnswerBeforeIt() throws Exception {
        // A prompt that does not open a thought: everything the model writes is answer.
        int[] prompt = EngineFixtures.slice(EngineFixtures.sequence48(QWEN), 0, 20);
        try (Engine engine = EngineFixtures.load(QWEN, "F16", SMALL)) {
            Choice free = engine.generate(greedy(prompt, 24)).first();
            String answer = free.answer();
            assertThat(answer.length()).as("answer text of the free run").isGreaterThan(12);
            String stop = answer.substring(8, 11);
            String expected = answer.substring(0, answer.indexOf(stop));
            Choice stopped = engine.generate(greedy(prompt, 24).withStop(List.of(stop))).first();
            assertThat(stopped.finishReason()).isEqualTo(FinishReason.STOP);
            assertThat(stopped.answer()).isEqualTo(expected);
            assertThat(stopped.tokens().length).isLessThan(free.tokens().length);
        }
    }

    @Test
    void rawText_reportsTheThoughtWithItsTagsAsAnswer() throws Exception {
        int[] prompt = EngineFixtures.greedyPrompt(QWEN);
        try (Engine engine = EngineFixtures.load(QWEN, "F16", SMALL)) {
            int[] close = engine.tokenizer().encode(ThinkingBudget.CLOSE_TEXT, false, true);
            GenerationRequest r = greedy(prompt, 3 + close.length + 2).withThinkingBudget(3);
            Choice split = engine.generate(r).first();
            Choice raw = engine.generate(r.withRawText(true)).first();
            assertThat(raw.tokens()).containsExactly(split.tokens());
            assertThat(raw.reasoning()).isEmpty();
            assertThat(raw.answer()).isEqualTo(engine.tokenizer().decode(raw.tokens(), false));
            assertThat(raw.answer()).contains("</think>");
            assertThat(raw.usage().reasoningTokens()).isEqualTo(3);
        }
    }

    @Test
    void thinkingBudget_appliesToEveryChoiceOfAnNRequest() throws Exception {
        int[] prompt = EngineFixtures.greedyPrompt(QWEN);
        int[] greedyIds = EngineFixtures.llamaCppGreedyIds(QWEN, "F16");
        try (Engine engine = EngineFixtures.load(QWEN, "F16", SMALL)) {
            int[] close = engine.tokenizer().encode(ThinkingBudget.CLOSE_TEXT, false, true);
            Completion c = engine.generate(greedy(prompt, 2 + close.length).withThinkingBudget(2).withN(3));
            int[] expected = new int[2 + close.length];
            System.arraycopy(greedyIds, 0, expected, 0, 2);
            System.arraycopy(close, 0, expected, 2, close.length);
            for (Choice choice : c.choices()) {
                assertThat(choice.tokens()).containsExactly(expected);
                assertThat(choice.usage().reasoningTokens()).isEqualTo(2);
            }
            assertThat(c.usage().reasoningTokens()).isEqualTo(6);
        }
    }
}
