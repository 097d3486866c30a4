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
 * (printable characters only, no quote or backslash, whole UTF-8 characters) is allowed from a precomputed bit set,
 * and only the other tokens are walked. Benchmark: {@code bench/.../TokenMaskBenchmark}.
 */
public final class TokenMasker {

    private final int vocab;
    private final TokenTrie all;          // every token with text
    private final TokenTrie notPlain;     // the tokens outside plainTokens
    private final long[] plainTokens;     // [words] bit per token made of plain string characters only
    private final int maxPlainChars;      // most characters of one plain token
    private final int[] endOfGeneration;

    /**
     * @param tokenBytes      per token id, the bytes it stands for; empty for tokens that can never be part of an
     *                        answer's JSON (control tokens, end of generation)
     * @param endOfGeneration ids that end the output: allowed exactly when the value is complete
     */
    public TokenMasker(byte[][] tokenBytes, int[] endOfGeneration) {
        this.vocab = tokenBytes.length;
        this.endOfGeneration = endOfGeneration.clone();
        this.plainTokens = new long[words(vocab)];
        int[] withText = new int[vocab];
        int[] other = new int[vocab];
        int nText = 0;
        int nOther = 0;
        int maxChars = 0;
        for (int id = 0; id < vocab; id++) {
            byte[] b = Objects.requireNonNull(tokenBytes[id], "token bytes");
            if (b.length == 0) {
                continue;
            }
            withText[nText++] = id;
            int chars = plainChars(b);
            if (chars > 0) {
                plainTokens[id >>> 6] |= 1L << id;
                maxChars = Math.max(maxChars, chars);
            } else {
                other[nOther++] = id;
            }
        }
        this.maxPlainChars = maxChars;
        this.all = new TokenTrie(Arrays.copyOf(withText, nText), tokenBytes);
        this.notPlain = new TokenTrie(Arrays.copyOf(other, nOther), tokenBytes);
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
        if (state.acceptsPlainRun(maxPlainChars)) {
            System.arraycopy(plainTokens, 0, allowed, 0, plainTokens.length);
            notPlain.walk(stacks, allowed);
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

    /** Characters of {@code b} when it is all plain string content (see the class comment), else 0. */
    static int plainChars(byte[] b) {
        int chars = 0;
        int due = 0; // continuation bytes still due
        for (byte x : b) {
            int v = x & 0xFF;
            if (due > 0) {
                if (v < 0x80 || v > 0xBF) {
                    return 0;
                }
                due--;
                continue;
            }
            if (v < 0x20 || v == '"' || v == '\\') {
                return 0;
            } else if (v < 0x80) {
                due = 0;
            } else if (v >= 0xC2 && v <= 0xDF) {
                due = 1;
            } else if (v >= 0xE0 && v <= 0xEF) {
                due = 2;
            } else if (v >= 0xF0 && v <= 0xF4) {
                due = 3;
            } else {
                return 0;
            }
            chars++;
        }
        return due == 0 ? chars : 0;
    }
}
