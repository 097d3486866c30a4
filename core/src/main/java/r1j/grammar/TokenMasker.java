package r1j.grammar;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The per-step token mask of constrained decoding: which tokens of a vocabulary a {@link JsonMatcher} state allows
 * next. Built once per vocabulary (the tokenizer's byte strings) and shared by every constrained sequence.
 *
 * <p>Cost: a walk of a {@link TokenTrie} against the state, pruned at the first rejected byte of each subtree. The
 * one state where most of the vocabulary is allowed, the inside of a string, takes a shortcut: every "plain" token
 * (printable characters only, no quote or backslash, UTF-8 consistent with the continuation bytes still due, which
 * byte-level vocabularies split across tokens) is allowed from a precomputed bit set per such state, and only the
 * other tokens are walked. Benchmark: {@code bench/.../TokenMaskBenchmark}.
 */
public final class TokenMasker {

    private final int vocab;
    private final TokenTrie all;          // every token with text
    private final TokenTrie[] notPlain;   // [due] the tokens outside plainTokens[due]
    private final long[][] plainTokens;   // [due][words] bit per token that is plain string content when entered
                                          // with `due` UTF-8 continuation bytes still to come (0-3)
    private final int[] maxPlainChars;    // [due] most characters of one such token
    private final int[] endOfGeneration;

    /**
     * @param tokenBytes      per token id, the bytes it stands for; empty for tokens that can never be part of an
     *                        answer's JSON (control tokens, end of generation)
     * @param endOfGeneration ids that end the output: allowed exactly when the value is complete
     */
    public TokenMasker(byte[][] tokenBytes, int[] endOfGeneration) {
        this.vocab = tokenBytes.length;
        this.endOfGeneration = endOfGeneration.clone();
        this.plainTokens = new long[4][words(vocab)];
        this.maxPlainChars = new int[4];
        this.notPlain = new TokenTrie[4];
        int[] withText = new int[vocab];
        int nText = 0;
        for (int id = 0; id < vocab; id++) {
            byte[] b = Objects.requireNonNull(tokenBytes[id], "token bytes");
            if (b.length > 0) {
                withText[nText++] = id;
            }
        }
        for (int due = 0; due < 4; due++) {
            int[] other = new int[nText];
            int nOther = 0;
            for (int i = 0; i < nText; i++) {
                int id = withText[i];
                int chars = plainChars(tokenBytes[id], due);
                if (chars >= 0) {
                    plainTokens[due][id >>> 6] |= 1L << id;
                    maxPlainChars[due] = Math.max(maxPlainChars[due], chars);
                } else {
                    other[nOther++] = id;
                }
            }
            notPlain[due] = new TokenTrie(Arrays.copyOf(other, nOther), tokenBytes);
        }
        this.all = new TokenTrie(Arrays.copyOf(withText, nText), tokenBytes);
    }

    /** Number of 64-bit words of a mask over {@code vocab} tokens. */
    public static int words(int vocab) {
        return (vocab + 63) >>> 6;
    }

    /** The vocabulary size this masker covers. */
    public int vocab() {
        return vocab;
    }

    /**
     * Computes the tokens {@code state} allows next into {@code allowed} (bit {@code id} of word {@code id / 64}):
     * each token whose bytes the grammar accepts, and the end-of-generation tokens when the value is complete.
     */
    public void mask(JsonMatcher state, long[] allowed) {
        if (allowed.length < words(vocab)) {
            throw new IllegalArgumentException("a mask of " + allowed.length + " words cannot hold " + vocab + " tokens");
        }
        List<Frame.Stack> stacks = stacksOf(state);
        int due = state.plainContentState(maxPlainChars);
        if (due >= 0) {
            System.arraycopy(plainTokens[due], 0, allowed, 0, plainTokens[due].length);
            notPlain[due].walk(stacks, allowed);
        } else {
            Arrays.fill(allowed, 0L);
            all.walk(stacks, allowed);
        }
        if (state.isComplete()) {
            for (int id : endOfGeneration) {
                allowed[id >>> 6] |= 1L << id;
            }
        }
    }

    /** The reference mask: every token's bytes fed to {@code state} one by one, no trie and no shortcut. */
    public void maskByScan(JsonMatcher state, byte[][] tokenBytes, long[] allowed) {
        Arrays.fill(allowed, 0L);
        for (int id = 0; id < vocab; id++) {
            if (tokenBytes[id].length > 0 && state.advance(tokenBytes[id]) != null) {
                allowed[id >>> 6] |= 1L << id;
            }
        }
        if (state.isComplete()) {
            for (int id : endOfGeneration) {
                allowed[id >>> 6] |= 1L << id;
            }
        }
    }

    /** Whether bit {@code id} is set in {@code mask}. */
    public static boolean allows(long[] mask, int id) {
        return (mask[id >>> 6] & (1L << id)) != 0;
    }

    private static List<Frame.Stack> stacksOf(JsonMatcher state) {
        return state.stacks();
    }

    /**
     * Characters {@code b} adds when it is all plain string content entered with {@code due} UTF-8 continuation
     * bytes still to come: those first, then printable characters other than quote and backslash, the last of them
     * possibly unfinished; −1 when it is not.
     */
    static int plainChars(byte[] b, int due) {
        int chars = 0;
        for (byte x : b) {
            int v = x & 0xFF;
            if (due > 0) {
                if (v < 0x80 || v > 0xBF) {
                    return -1;
                }
                due--;
                continue;
            }
            if (v < 0x20 || v == '"' || v == '\\') {
                return -1;
            } else if (v >= 0xC2 && v <= 0xDF) {
                due = 1;
            } else if (v >= 0xE0 && v <= 0xEF) {
                due = 2;
            } else if (v >= 0xF0 && v <= 0xF4) {
                due = 3;
            } else if (v >= 0x80) {
                return -1;
            }
            chars++;
        }
        return chars;
    }
}
