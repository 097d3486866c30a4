package r1j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static r1j.engine.EngineFixtures.QWEN;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import r1j.sample.SamplerSettings;

@Timeout(value = 300, unit = TimeUnit.SECONDS) // a hang detector only: generous for a loaded machine
class EngineSchedulingTest {

    private static GenerationRequest greedy(int[] prompt, int maxTokens) {
        return GenerationRequest.tokens(prompt).withSampling(SamplerSettings.greedy()).withMaxTokens(maxTokens)
                .withIgnoreEos(true);
    }

    /** Completes when choice 0 has produced {@code tokens} tokens. */
    private static final class TokenLatch implements GenerationListener {
        final CountDownLatch latch;
        /** With it, the scheduler (every sequence) stays at the counted token until {@link #release}. */
        final boolean hold;
        private final CountDownLatch released = new CountDownLatch(1);

        TokenLatch(int tokens) {
            this(tokens, false);
        }

        /**
         * @param hold keep the engine at the token that completes the count until {@link #release()}, so the test
         *             acts before the request could run to its end (the tiny model writes its context full in a
         *             moment, a loaded machine can take longer to wake the test thread)
         */
        TokenLatch(int tokens, boolean hold) {
            latch = new CountDownLatch(tokens);
            this.hold = hold;
        }

        void release() {
            released.countDown();
        }

        @Override
        public void onToken(int choice, int tokenId, r1j.sample.SampledToken logprob) {
            latch.countDown();
            if (hold && latch.getCount() == 0) {
                try {
                    released.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void onDone(int choice, FinishReason reason, Usage usage) {
        }
    }

    @Test
    void continuousBatching_givesEverySequenceTheTokensItGetsAlone() throws Exception {
        int[] seq = EngineFixtures.sequence48(QWEN);
        int[][] prompts = {
                EngineFixtures.slice(seq, 0, 3),
                EngineFixtures.slice(seq, 0, 41),
                EngineFixtures.slice(seq, 5, 22),
                EngineFixtures.greedyPrompt(QWEN),
                EngineFixtures.slice(seq, 10, 48),
        };
        int steps = 12;
        // Small steps force chunked prefill next to decoding rows: 8 tokens a step, prompts in chunks of 5.
        EngineOptions options = new EngineOptions(3, 128, 8, 5, 8, 0, false);
        try (Engine engine = EngineFixtures.load(QWEN, "F16", options)) {
            List<GenerationHandle> handles = new ArrayList<>();
            TokenLatch started = new TokenLatch(3);
            handles.add(engine.submit(greedy(prompts[0], steps), started));
            handles.add(engine.submit(greedy(prompts[1], steps), GenerationListener.none()));
            started.latch.await();  // the first is decoding while the second prefills; the rest join later
            handles.add(engine.submit(greedy(prompts[2], steps), GenerationListener.none()));
            handles.add(engine.submit(greedy(prompts[3], steps), GenerationListener.none()));
            handles.add(engine.submit(greedy(prompts[4], steps), GenerationListener.none()));
            for (int i = 0; i < prompts.length; i++) {
                Choice c = handles.get(i).await().first();
                assertThat(c.tokens()).as("prompt %d", i)
                        .containsExactly(EngineFixtures.plainGreedy(QWEN, "F16", prompts[i], steps));
            }
            assertThat(engine.stats().slotsInUse()).isZero();
            assertThat(engine.stats().requestsFinished()).isEqualTo(prompts.length);
        }
    }

    @Test
    void nChoices_withFixedSeed_areReproducible_andChoiceIEqualsASingleRunWithSeedPlusI() throws Exception {
        int[] prompt = EngineFixtures.greedyPrompt(QWEN);
        SamplerSettings sampling = SamplerSettings.r1Defaults().withTemperature(1.5f).withSeed(1234);
        GenerationRequest r = GenerationRequest.tokens(prompt).withSampling(sampling).withMaxTokens(16)
                .withIgnoreEos(true).withN(3);
        try (Engine engine = EngineFixtures.load(QWEN, "F16", EngineOptions.defaults().withContextSize(128))) {
            Completion a = engine.generate(r);
            Completion b = engine.generate(r);
            assertThat(a.choices()).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertThat(b.choices().get(i).tokens()).containsExactly(a.choices().get(i).tokens());
                Choice alone = engine.generate(r.withN(1).withSampling(sampling.withSeed(1234 + i))).first();
                assertThat(alone.tokens()).as("choice %d alone", i).containsExactly(a.choices().get(i).tokens());
                assertThat(a.choices().get(i).usage().promptTokens()).isEqualTo(prompt.length);
            }
            assertThat(a.choices().get(0).tokens()).isNotEqualTo(a.choices().get(1).tokens());
            assertThat(a.usage().completionTokens()).isEqualTo(3 * 16);
        }
    }

    @Test
    void prefixCache_reusesASharedPrefix_reportsCachedTokens_andGivesTheColdOutput() throws Exception {
        int[] seq = EngineFixtures.sequence48(QWEN);
        int[] first = EngineFixtures.slice(seq, 0, 30);
        int[] second = EngineFixtures.slice(seq, 0, 44); // shares 30 tokens with the first
        int[] cold = EngineFixtures.plainGreedy(QWEN, "F16", second, 10);
        try (Engine engine = EngineFixtures.load(QWEN, "F16", EngineOptions.defaults().withContextSize(128).withParallel(2))) {
            Choice warmUp = engine.generate(greedy(first, 6)).first();
            assertThat(warmUp.usage().cachedTokens()).isZero();
            Choice warm = engine.generate(greedy(second, 10)).first();
            assertThat(warm.usage().cachedTokens()).isEqualTo(30);
            assertThat(warm.tokens()).containsExactly(cold);
            // The same prompt again: everything but the last token comes from the cache.
            Choice again = engine.generate(greedy(second, 10)).first();
            assertThat(again.usage().cachedTokens()).isEqualTo(second.length - 1);
            assertThat(again.tokens()).containsExactly(cold);
            EngineStats stats = engine.stats();
            assertThat(stats.prefixCacheHits()).isEqualTo(2);
            assertThat(stats.cachedPromptTokens()).isEqualTo(30 + second.length - 1);
        }
    }

    @Test
    void cancel_endsTheRequestAndFreesItsSlot() throws Exception {
        EngineOptions one = new EngineOptions(1, 256, 64, 32, 4, 0, true);
        try (Engine engine = EngineFixtures.load(QWEN, "F16", one)) {
            TokenLatch started = new TokenLatch(2, true);
            GenerationHandle h = engine.submit(greedy(EngineFixtures.greedyPrompt(QWEN), -1), started);
            started.latch.await();
            h.cancel();
            started.release();
            Completion c = h.await();
            assertThat(c.first().finishReason()).isEqualTo(FinishReason.CANCELLED);
            assertThat(engine.stats().slotsInUse()).isZero();
            // The single slot serves the next request at once.
            Choice next = engine.generate(greedy(EngineFixtures.slice(EngineFixtures.sequence48(QWEN), 0, 8), 3)).first();
            assertThat(next.finishReason()).isEqualTo(FinishReason.LENGTH);
        }
    }

    @Test
    void submit_whenTheQueueIsFull_throwsQueueFull_andCancelledWaitersEnd() throws Exception {
        EngineOptions tight = new EngineOptions(1, 256, 64, 32, 1, 0, true);
        try (Engine engine = EngineFixtures.load(QWEN, "F16", tight)) {
            int[] prompt = EngineFixtures.greedyPrompt(QWEN);
            TokenLatch held = new TokenLatch(1, true); // the running request cannot finish before it is cancelled
            GenerationHandle running = engine.submit(greedy(prompt, -1), held);
            GenerationHandle waiting = engine.submit(greedy(prompt, -1), GenerationListener.none());
            assertThatThrownBy(() -> engine.submit(greedy(prompt, -1), GenerationListener.none()))
                    .isInstanceOf(QueueFullException.class).hasMessageContaining("queue is full");
            assertThat(engine.stats().requestsRejected()).isEqualTo(1);
            waiting.cancel();
            running.cancel();
            held.release();
            assertThat(waiting.await().first().finishReason()).isEqualTo(FinishReason.CANCELLED);
            assertThat(running.await().first().finishReason()).isEqualTo(FinishReason.CANCELLED);
            assertThat(engine.stats().queueDepth()).isZero();
        }
    }

    @Test
    void submit_promptLongerThanTheContext_isRejectedWithTheSizes() {
        try (Engine engine = EngineFixtures.load(QWEN, "F16", EngineOptions.defaults().withContextSize(16))) {
            int[] prompt = EngineFixtures.slice(EngineFixtures.sequence48(QWEN), 0, 20);
            assertThatThrownBy(() -> engine.submit(greedy(prompt, 4), GenerationListener.none()))
                    .isInstanceOf(PromptTooLongException.class)
                    .hasMessageContaining("prompt has 20 tokens but the context is 16");
        }
    }

    @Test
    void submit_moreChoicesThanSlots_isRejected() {
        try (Engine engine = EngineFixtures.load(QWEN, "F16", EngineOptions.defaults().withContextSize(64).withParallel(2))) {
            assertThatThrownBy(() -> engine.submit(greedy(EngineFixtures.greedyPrompt(QWEN), 4).withN(3),
                    GenerationListener.none()))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("n 3 exceeds");
        }
    }

    @Test
    void close_cancelsRunningRequests_andRejectsNewOnes() throws Exception {
        Engine engine = EngineFixtures.load(QWEN, "F16", EngineOptions.defaults().withContextSize(256));
        GenerationHandle h = engine.submit(greedy(EngineFixtures.greedyPrompt(QWEN), -1), GenerationListener.none());
        engine.close();
        engine.close(); // idempotent
        assertThat(h.await().first().finishReason()).isIn(FinishReason.CANCELLED, FinishReason.LENGTH);
        assertThatThrownBy(() -> engine.submit(greedy(EngineFixtures.greedyPrompt(QWEN), 2), GenerationListener.none()))
                .isInstanceOf(EngineClosedException.class);
    }

    @Test
    void listenerThatThrows_cancelsItsRequestOnly() throws Exception {
        try (Engine engine = EngineFixtures.load(QWEN, "F16", EngineOptions.defaults().withContextSize(128))) {
            GenerationListener failing = new GenerationListener() {
                @Override
                public void onToken(int choice, int tokenId, r1j.sample.SampledToken logprob) {
                    throw new IllegalStateException("client went away");
                }

                @Override
                public void onDone(int choice, FinishReason reason, Usage usage) {
                }
            };
            GenerationHandle bad = engine.submit(greedy(EngineFixtures.greedyPrompt(QWEN), -1), failing);
            GenerationHandle good = engine.submit(greedy(EngineFixtures.greedyPrompt(QWEN), 6), GenerationListener.none());
            assertThat(bad.await().first().finishReason()).isEqualTo(FinishReason.CANCELLED);
            assertThat(good.await().first().tokens())
                    .containsExactly(EngineFixtures.slice(EngineFixtures.llamaCppGreedyIds(QWEN, "F16"), 0, 6));
        }
    }

    @Test
    void clearPrefixCache_makesTheNextRequestComputeItsWholePrompt() throws Exception {
        int[] prompt = EngineFixtures.greedyPrompt(QWEN);
        try (Engine engine = EngineFixtures.load(QWEN, "F16", EngineOptions.defaults().withContextSize(64))) {
            engine.generate(greedy(prompt, 2));
            assertThat(engine.stats().slotsCached()).isEqualTo(1);
            engine.clearPrefixCache();
            assertThat(engine.stats().slotsCached()).isZero();
            assertThat(engine.generate(greedy(prompt, 2)).first().usage().cachedTokens()).isZero();
        }
    }

    @Test
    void statsListener_seesEveryFinishedChoice_andStatsCountTokens() throws Exception {
        int[] prompt = EngineFixtures.greedyPrompt(QWEN);
        try (Engine engine = EngineFixtures.load(QWEN, "F16", EngineOptions.defaults().withContextSize(64))) {
            List<Usage> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            engine.addStatsListener((reason, usage) -> seen.add(usage));
            Completion c = engine.generate(greedy(prompt, 5).withN(2));
            assertThat(seen).hasSize(2);
            assertThat(seen).allSatisfy(u -> assertThat(u.completionTokens()).isEqualTo(5));
            EngineStats stats = engine.stats();
            assertThat(stats.requestsSubmitted()).isEqualTo(1);
            assertThat(stats.requestsFinished()).isEqualTo(1);
            assertThat(stats.choicesFinished()).isEqualTo(2);
            assertThat(stats.promptTokens()).isEqualTo(prompt.length);
            assertThat(stats.completionTokens()).isEqualTo(c.usage().completionTokens()).isEqualTo(10);
            assertThat(stats.slotsTotal()).isEqualTo(4);
            assertThat(stats.liveSequences()).isZero();
            assertThat(engine.modelName()).isNotBlank();
        }
    }

    @Test
    void shutdown_letsRunningRequestsFinishWithinTheGrace() throws Exception {
        Engine engine = EngineFixtures.load(QWEN, "F16", EngineOptions.defaults().withContextSize(64));
        GenerationHandle h = engine.submit(greedy(EngineFixtures.greedyPrompt(QWEN), 4), GenerationListener.none());
        engine.shutdown(java.time.Duration.ofSeconds(30));
        assertThat(h.isDone()).isTrue();
        assertThat(h.await().first().finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThatThrownBy(() -> engine.submit(greedy(EngineFixtures.greedyPrompt(QWEN), 2), GenerationListener.none()))
                .isInstanceOf(EngineClosedException.class);
    }

    @Test
    void engineFromParts_withInjectedSeedSource_reproducesRandomSeedRequests() throws Exception {
        java.nio.file.Path file = EngineFixtures.model(QWEN, "F16");
        GenerationRequest r = GenerationRequest.tokens(EngineFixtures.greedyPrompt(QWEN)).withMaxTokens(12)
                .withIgnoreEos(true).withSampling(SamplerSettings.r1Defaults().withTemperature(1.5f)); // RANDOM_SEED
        int[][] runs = new int[2][];
        for (int run = 0; run < 2; run++) {
            try (r1j.model.LanguageModel model = r1j.model.ModelLoader.load(file)) {
                r1j.tokenizer.Tokenizer tokenizer = r1j.tokenizer.Tokenizer.load(file, null);
                java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
                java.util.function.LongSupplier clock = () -> now.addAndGet(1_000_000); // 1 ms per reading
                try (Engine engine = new Engine(model, tokenizer, r1j.chat.ChatTemplate.of(null, "", ""),
                        EngineOptions.defaults().withContextSize(64), clock, new java.util.SplittableRandom(99))) {
                    Choice c = engine.generate(r).first();
                    runs[run] = c.tokens();
                    assertThat(c.usage().timeToFirstToken()).isPositive();
                    assertThat(c.usage().elapsed()).isGreaterThan(c.usage().timeToFirstToken());
                }
            }
        }
        assertThat(runs[1]).containsExactly(runs[0]);
    }

    @Test
    void prefixCache_concurrentRequestsShareALivePrefix_andKeepTheirOwnOutput() throws Exception {
        int[] seq = EngineFixtures.sequence48(QWEN);
        int[] first = EngineFixtures.slice(seq, 0, 40);
        int[] second = EngineFixtures.slice(seq, 0, 46);
        int[] expected = EngineFixtures.plainGreedy(QWEN, "F16", second, 6);
        try (Engine engine = EngineFixtures.load(QWEN, "F16", EngineOptions.defaults().withContextSize(128))) {
            TokenLatch started = new TokenLatch(1);
            GenerationHandle running = engine.submit(greedy(first, -1), started);
            started.latch.await(); // the first prompt is in its slot and it is decoding
            Choice c = engine.generate(greedy(second, 6)).first();
            assertThat(c.usage().cachedTokens()).isEqualTo(40);
            assertThat(c.tokens()).containsExactly(expected);
            running.cancel();
            assertThat(running.await().first().tokens()).startsWith(EngineFixtures.plainGreedy(QWEN, "F16", first, 3));
        }
    }
}
