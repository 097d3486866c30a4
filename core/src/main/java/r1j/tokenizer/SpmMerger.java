package r1j.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.PriorityQueue;

/**
 * SentencePiece-style BPE as llama.cpp's {@code llm_tokenizer_spm_session}: start from one symbol per character,
 * repeatedly merge the adjacent pair whose concatenation is the token with the highest score (leftmost on ties),
 * then emit each symbol's token, or its bytes as {@code <0xXX>} tokens when the symbol is not a token.
 * Stateless and thread-safe.
 */
final class SpmMerger implements FragmentEncoder {
    /** SentencePiece writes spaces as U+2581 LOWER ONE EIGHTH BLOCK. */
    static final char SPACE_MARK = '\u2581';

    private final Vocabulary vocab;

    SpmMerger(Vocabulary vocab) {
        this.vocab = vocab;
    }

    private record Bigram(float score, int left, int right, int size) {
    }

    /** A space before text that starts the input or follows a special token (add_space_prefix), spaces as ▁. */
    @Override
    public void encodeFragment(String fragment, boolean afterSpecial, IntList out) {
        String text = vocab.addSpacePrefix() && afterSpecial ? " " + fragment : fragment;
        encode(text.replace(' ', SPACE_MARK), out);
    }

    /** Appends the tokens of a text whose spaces are already written as ▁. */
    void encode(String text, IntList out) {
        int n = text.codePointCount(0, text.length()); // one symbol per code point
        int[] starts = new int[n];
        int[] len = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0, c = 0; i < n; i++) {
            starts[i] = c;
            len[i] = Character.charCount(text.codePointAt(c));
            c += len[i];
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        PriorityQueue<Bigram> queue = new PriorityQueue<>((a, b) ->
                a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.left, b.left));
        for (int i = 1; i < n; i++) {
            addBigram(text, i - 1, i, starts, len, queue);
        }
        while (!queue.isEmpty()) {
            Bigram b = queue.poll();
            if (len[b.left] == 0 || len[b.right] == 0 || len[b.left] + len[b.right] != b.size) {
                continue; // one side was merged away or grew since the pair was queued
            }
            len[b.left] += len[b.right];
            len[b.right] = 0;
            next[b.left] = next[b.right];
            if (next[b.right] >= 0) {
                prev[next[b.right]] = b.left;
            }
            if (prev[b.left] >= 0) {
                addBigram(text, prev[b.left], b.left, starts, len, queue);
            }
            if (next[b.left] >= 0) {
                addBigram(text, b.left, next[b.left], starts, len, queue);
            }
        }
        for (int i = 0; i >= 0 && i < n; i = next[i]) {
            emitSymbol(text.substring(starts[i], starts[i] + len[i]), out);
        }
    }

    private void addBigram(String text, int left, int right, int[] starts, int[] len, PriorityQueue<Bigram> queue) {
        String merged = text.substring(starts[left], starts[right] + len[right]);
        int id = vocab.id(merged);
        if (id >= 0) {
            queue.add(new Bigram(vocab.score(id), left, right, len[left] + len[right]));
        }
    }

    /**
     * A symbol's token, or byte fallback. (llama.cpp's re-segmentation through its merge history never applies:
     * only pairs that are tokens are ever merged, so a final symbol that is not a token is a single character.)
     */
    private void emitSymbol(String symbol, IntList out) {
        int id = vocab.id(symbol);
        if (id >= 0) {
            out.add(id);
            return;
        }
        for (byte b : symbol.getBytes(StandardCharsets.UTF_8)) {
            int byteId = vocab.id("<0x%02X>".formatted(b & 0xFF));
            if (byteId < 0 && b >= 0) {
                byteId = vocab.id(String.valueOf((char) b));
            }
            if (byteId < 0) {
                byteId = vocab.unk();
            }
            if (byteId >= 0) {
                out.add(byteId);
            }
        }
    }
}
