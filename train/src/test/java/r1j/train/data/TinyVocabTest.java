package r1j.train.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TinyVocabTest {
    private final TinyVocab vocab = new TinyVocab();

    @Test
    void byteTokens_followGpt2BytesToUnicodeOrder() {
        // GPT-2's table starts with '!' (byte 33) and maps space to U+0120 'Ġ' and newline to U+010A 'Ċ'
        assertThat(vocab.tokens().get(0)).isEqualTo("!");
        assertThat(vocab.tokens().get(93)).isEqualTo("~");
        assertThat(vocab.tokens()).contains("Ġ", "Ċ");
        assertThat(vocab.tokens().subList(vocab.size() - 6, vocab.size())).containsExactlyElementsOf(TinyVocab.SPECIALS);
    }

    @Test
    void encode_splitsDigitsSinglyAndKeepsSpecialTokens() {
        int[] ids = vocab.encode("<｜User｜>What is 347 + 589?");
        assertThat(ids[0]).isEqualTo(vocab.id(TinyVocab.USER));
        assertThat(vocab.decode(ids)).isEqualTo("<｜User｜>What is 347 + 589?");
        assertThat(ids).contains(vocab.id("What"), vocab.id("Ġis"), vocab.id("3"), vocab.id("4"), vocab.id("7"));
    }

    @Test
    void roundTrip_anyTextIncludingUnicode() {
        String text = "The answer is \\boxed{-535}.\n\n×÷ café 12x34 <think>\nok</think>";
        assertThat(vocab.decode(vocab.encode(text))).isEqualTo(text);
    }
}
