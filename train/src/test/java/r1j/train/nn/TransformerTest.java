package r1j.train.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import r1j.train.autograd.Ops;
import r1j.train.autograd.Rows;
import r1j.train.autograd.Tape;
import r1j.train.autograd.Var;

class TransformerTest {
    private static final TinyConfig TOY = new TinyConfig(16, 32, 2, 4, 2, 11, 12, 1e-5f, 10000f);

    @Test
    void decoder_matchesBatchedForwardAtEveryPosition() {
        Params p = Params.init(TOY, new Random(3));
        int[] ids = {1, 4, 7, 2, 9, 3};
        Var logits = Transformer.forward(new Tape(Rows.SERIAL), p, ids, ids.length);
        Decoder dec = new Decoder(p);
        for (int t = 0; t < ids.length; t++) {
            float[] step = dec.step(ids[t]);
            for (int j = 0; j < TOY.vocab(); j++) {
                assertThat(step[j]).isCloseTo(logits.value()[t * TOY.vocab() + j], within(1e-5f));
            }
        }
    }

    @Test
    void packedSequences_doNotSeeEachOther() {
        Params p = Params.init(TOY, new Random(4));
        Var alone = Transformer.forward(new Tape(Rows.SERIAL), p, new int[] {5, 6, 7}, 3);
        Var packed = Transformer.forward(new Tape(Rows.SERIAL), p, new int[] {1, 2, 3, 5, 6, 7}, 3);
        for (int i = 0; i < alone.size(); i++) {
            assertThat(packed.value()[3 * TOY.vocab() + i]).isCloseTo(alone.value()[i], within(1e-6f));
        }
    }

    @Test
    void sft_lossGoesDownOnCopyTask() {
        // the second half of each sequence repeats the first: learnable only through attention
        Params p = Params.init(TOY, new Random(5));
        AdamW opt = new AdamW(p, 1e-2f, 10, 150, 0.1f, 0.0f, 1f);
        Random rnd = new Random(6);
        float first = 0, last = 0;
        for (int step = 0; step < 150; step++) {
            int seqs = 8, len = 10;
            int[] ids = new int[seqs * len], targets = new int[seqs * len];
            for (int b = 0; b < seqs; b++) {
                for (int i = 0; i < 5; i++) {
                    ids[b * len + i] = 1 + rnd.nextInt(10);
                    ids[b * len + 5 + i] = ids[b * len + i];
                }
                for (int i = 0; i < len; i++) {
                    targets[b * len + i] = i >= 4 && i < len - 1 ? ids[b * len + i + 1] : -1;
                }
            }
            Tape tape = new Tape(Rows.SERIAL);
            Var loss = Ops.crossEntropy(tape, Transformer.forward(tape, p, ids, len), targets);
            tape.backward(loss);
            opt.step();
            if (step == 0) {
                first = loss.value()[0];
            }
            last = loss.value()[0];
        }
        assertThat(first).isGreaterThan(2.0f);
        assertThat(last).isLessThan(0.5f * first);
    }
}
