package r1j.tokenizer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class StreamingDecoderTest {
    static Tokenizer qwen2;

    @BeforeAll
    static void load() {
        qwen2 = TestResources.qwen2Tokenizer("qwen2");
    }

    @Test
    void accept_holdsBackEmojiSplitAcrossTokens() {
        // llama.cpp vector #22: the fog-face emoji sequence is spread over byte tokens
        TestResources.Vector v = TestResources.vectors("qwen2").stream().filter(x -> x.index() == 22).findFirst()
                .orElseThrow();
        StreamingDecoder decoder = qwen2.newStreamingDecoder();
        StringBuilder text = new StringBuilder();
        boolean heldBack = false;
        for (int id : v.ids()) {
            String chunk = decoder.accept(id);
            assertThat(chunk).doesNotContain("\uFFFD");
            heldBack |= decoder.hasPending();
            text.append(chunk);
        }
        text.append(decoder.flush());
        assertThat(heldBack).as("some token ended inside a character").isTrue();
        assertThat(text.toString()).isEqualTo(v.input());
    }

    @Test
    void accept_emitsEachCharacterAsSoonAsComplete() {
        // U+1F600 is F0 9F 98 80: the byte tokens are the byte-level characters of each byte
        int[] ids = java.util.stream.IntStream.of(0xF0, 0x9F, 0x98, 0x80)
                .map(b -> qwen2.tokenId(String.valueOf(ByteLevel.encode(b)))).toArray();
        StreamingDecoder decoder = qwen2.newStreamingDecoder();
        assertThat(decoder.accept(ids[0])).isEmpty();
        assertThat(decoder.accept(ids[1])).isEmpty();
        assertThat(decoder.accept(ids[2])).isEmpty();
        assertThat(decoder.accept(ids[3])).isEqualTo("😀");
        assertThat(decoder.hasPending()).isFalse();
    }

    @Test
    void flush_replacesAnIncompleteCharacter() {
        StreamingDecoder decoder = qwen2.newStreamingDecoder();
        assertThat(decoder.accept(qwen2.tokenId(String.valueOf(ByteLevel.encode(0xE6))))).isEmpty();
        assertThat(decoder.flush()).isEqualTo("\uFFFD");
        assertThat(decoder.hasPending()).isFalse();
    }

    @Test
    void completePrefix_keepsOnlyAnUnfinishedTrailingSequence() {
        assertThat(StreamingDecoder.completePrefix(bytes(0x61))).isEqualTo(1);
        assertThat(StreamingDecoder.completePrefix(bytes(0xC3))).isZero();
        assertThat(StreamingDecoder.completePrefix(bytes(0xC3, 0xA9))).isEqualTo(2);
        assertThat(StreamingDecoder.completePrefix(bytes(0x61, 0xF0, 0x9F, 0x98))).isEqualTo(1);
        assertThat(StreamingDecoder.completePrefix(bytes(0x80))).as("a stray continuation byte is not held")
                .isEqualTo(1);
        assertThat(StreamingDecoder.completePrefix(bytes(0xC3, 0x61))).as("a broken sequence is not held")
                .isEqualTo(2);
    }

    @Test
    void decode_concatenationOfChunksEqualsWholeDecode() {
        String text = "naïve 日本語 🚀 <done>\n";
        int[] ids = qwen2.encode(text, false, false);
        StreamingDecoder decoder = qwen2.newStreamingDecoder();
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            sb.append(decoder.accept(id));
        }
        sb.append(decoder.flush());
        assertThat(sb.toString()).isEqualTo(qwen2.decode(ids)).isEqualTo(text);
        assertThat(new String(qwen2.decodeBytes(ids), StandardCharsets.UTF_8)).isEqualTo(text);
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
