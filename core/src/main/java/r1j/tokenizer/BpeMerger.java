package r1j.tokenizer;

import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE, as llama.cpp's {@code llm_tokenizer_bpe_session::tokenize}: the text is split into words by the
 * pre-tokenizer; for each word (in the byte-level alphabet) start from
 * one symbol per byte character, repeatedly merge the adjacent pair with the lowest merge rank (leftmost on ties),
 * then map each final symbol to its token. A symbol that is not a token falls back to its single-byte tokens.
 * Results are cached per word, since natural text repeats words a lot. Thread-safe.
 */
final class BpeMerger implements FragmentEncoder {
    /** Cache bound: past this many distinct words the cache starts over rather than growing without limit. */
    private static final int MAX_CACHED_WORDS = 200_000;

    private final Vocabulary vocab;
    private final PreTokenizer pre;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    BpeMerger(Vocabulary vocab) {
        this.vocab = vocab;
        this.pre = vocab.preTokenizer();
    }

    /** Splits the fragment into words with the vocabulary's pre-tokenizer and merges each word. */
    @Override
    public void encodeFragment(String fragment, boolean afterSpecial, IntList out) {
        int[] cps = fragment.codePoints().toArray();
        int pos = 0;
        for (int len : pre.splitLengths(cps)) {
            encode(ByteLevel.encode(new String(cps, pos, len)), out);
            pos += len;
        }
    }

    /** Appends the tokens of one word, given in the byte-level alphabet. */
    void encode(String word, IntList out) {
        int[] ids = cache.get(word);
        if (ids == null) {
            ids = merge(word);
            if (cache.size() >= MAX_CACHED_WORDS) {
                cache.clear();
            }
            cache.put(word, ids);
        }
        out.addAll(ids);
    }

    private record Bigram(int rank, int left, int right, int size) {
    }

    private int[] merge(String word) {
        IntList out = new IntList(4);
        if (pre.ignoreMerges()) {
            int whole = vocab.id(word);
            if (whole >= 0) {
                out.add(whole);
                return out.toArray();
            }
        }
        int n = word.length(); // byte characters are all in the BMP: one char per symbol
        int[] start = new int[n];
        int[] len = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            start[i] = i;
            len[i] = 1;
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        PriorityQueue<Bigram> queue = new PriorityQueue<>((a, b) ->
                a.rank != b.rank ? Integer.compare(a.rank, b.rank) : Integer.compare(a.left, b.left));
        for (int i = 1; i < n; i++) {
            addBigram(word, i - 1, i, start, len, queue);
        }
        while (!queue.isEmpty()) {
            Bigram b = queue.poll();
            // stale if either side was merged away or grew since the pair was queued
            if (len[b.left] == 0 || len[b.right] == 0 || len[b.left] + len[b.right] != b.size) {
                continue;
            }
            len[b.left] += len[b.right];
            len[b.right] = 0;
            next[b.left] = next[b.right];
            if (next[b.right] >= 0) {
                prev[next[b.right]] = b.left;
            }
            if (prev[b.left] >= 0) {
                addBigram(word, prev[b.left], b.left, start, len, queue);
            }
            if (next[b.left] >= 0) {
                addBigram(word, b.left, next[b.left], start, len, queue);
            }
        }
        for (int i = 0; i >= 0 && i < n; i = next[i]) {
            emitSymbol(word.substring(start[i], start[i] + len[i]), out);
        }
        return out.toArray();
    }

    private void addBigram(String word, int left, int right, int[] start, int[] len, PriorityQueue<Bigram> queue) {
        String l = word.substring(start[left], start[left] + len[left]);
        String r = word.substring(start[right], start[right] + len[right]);
        int rank = vocab.mergeRank(l, r);
        if (rank >= 0) {
            queue.add(new Bigram(rank, left, right, len[left] + len[right]));
        }
    }

    /**
     * A finished symbol's token. If the merged text is not a token (merges and vocabulary disagree), llama.cpp
     * looks up each UTF-8 byte of the symbol's text as a one-byte token; only ASCII bytes can match.
     */
    private void emitSymbol(String symbol, IntList out) {
        int id = vocab.id(symbol);
        if (id >= 0) {
            out.add(id);
            return;
        }
        for (byte b : symbol.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            if (b >= 0) {
                int byteId = vocab.id(String.valueOf((char) b));
                if (byteId >= 0) {
                    out.add(byteId);
                }
            }
        }
    }
}
