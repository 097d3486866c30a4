package r1j.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tokenizer vocabulary (byte-level BPE, or SentencePiece for {@link VocabularyType#SPM}): tokens, their types,
 * scores, merge ranks, special ids and the pre-tokenizer, with the
 * adjustments llama.cpp makes when it loads one ({@code llama_vocab::impl::load}): end-of-turn and end-of-generation
 * tokens found by their text, such tokens forced to CONTROL, and the list of tokens that are matched in the text
 * before BPE (CONTROL, USER_DEFINED and UNKNOWN, longest first).
 *
 * <p>Load one with {@link VocabularyLoader}. Immutable and safe to share between threads.
 */
public final class Vocabulary {
    /** Token attribute bits, as llama.cpp's {@code llama_token_attr}. */
    static final int ATTR_UNDEFINED = 0, ATTR_UNKNOWN = 1 << 1, ATTR_UNUSED = 1 << 2, ATTR_NORMAL = 1 << 3,
            ATTR_CONTROL = 1 << 4, ATTR_USER_DEFINED = 1 << 5, ATTR_BYTE = 1 << 6;

    private static final Set<String> EOT_TEXTS = Set.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
            "<|endoftext|>", "<EOT>", "_<EOT>", "<｜end▁of▁sentence｜>");
    private static final Set<String> EOG_TEXTS = Set.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
            "<|endoftext|>", "<|eom_id|>", "<EOT>", "_<EOT>", "<｜end▁of▁sentence｜>");
    private static final Set<String> FIM_EOG_TEXTS = Set.of("<|fim_pad|>", "<fim-pad>", "<PAD>",
            "<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<|file_sep|>");
    /** Fill-in-the-middle markers llama.cpp also forces to CONTROL (they do not end generation). */
    private static final Set<String> FIM_TEXTS = Set.of("<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>",
            "<｜fim▁begin｜>", "<PRE>", "▁<PRE>", "<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<｜fim▁hole｜>",
            "<SUF>", "▁<SUF>", "<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<｜fim▁end｜>", "<MID>", "▁<MID>");

    private final VocabularyType type;
    private final String model;
    private final String preName;
    private final PreTokenizer pre;
    private final String[] tokens;
    private final TokenType[] types;
    private final float[] scores;
    private final int[] attrs;
    private final Map<String, Integer> ids;
    private final Map<String, Integer> mergeRanks;
    private final int mergeCount;
    private final SpecialIds special;
    private final int eot;
    private final boolean addBos;
    private final boolean addEos;
    private final boolean addSpacePrefix;
    private final BitSet endOfGeneration;
    private final int[] specialTokensLongestFirst;

    /**
     * Special token ids as stored in a file; -1 where absent.
     *
     * @param bos {@code tokenizer.ggml.bos_token_id}
     * @param eos {@code tokenizer.ggml.eos_token_id}
     * @param eot {@code tokenizer.ggml.eot_token_id}
     * @param eom {@code tokenizer.ggml.eom_token_id}
     * @param unk {@code tokenizer.ggml.unknown_token_id}
     * @param pad {@code tokenizer.ggml.padding_token_id}
     */
    public record SpecialIds(int bos, int eos, int eot, int eom, int unk, int pad) {
        /** No special ids at all. */
        public static final SpecialIds NONE = new SpecialIds(-1, -1, -1, -1, -1, -1);
    }

    /**
     * Builds a vocabulary from raw file contents.
     *
     * @param model          {@code tokenizer.ggml.model}: {@code gpt2} (byte-level BPE) or {@code llama}
     *                       (SentencePiece)
     * @param preName        {@code tokenizer.ggml.pre}; null or empty means llama.cpp's "default"; unused for SPM
     * @param tokens         token texts by id (byte-level alphabet for NORMAL BPE tokens)
     * @param typeCodes      {@code tokenizer.ggml.token_type} codes by id, or null for all NORMAL
     * @param scores         {@code tokenizer.ggml.scores} by id (SPM merge priorities), or null for all 0
     * @param merges         merge rules "left right" in rank order (BPE)
     * @param special        special ids as stored, -1 where absent (SPM then uses llama.cpp's defaults: unk 0,
     *                       bos 1, eos 2); out-of-range ids are treated as absent
     * @param addBos         {@code tokenizer.ggml.add_bos_token}, or null for llama.cpp's default (true for SPM and
     *                       llama-bpe)
     * @param addEos         {@code tokenizer.ggml.add_eos_token}, or null for false
     * @param addSpacePrefix {@code tokenizer.ggml.add_space_prefix}, or null for llama.cpp's default (true for SPM)
     * @throws TokenizerException if the model or pre-tokenizer is unsupported, or tokens repeat
     */
    public Vocabulary(String model, String preName, List<String> tokens, int[] typeCodes, float[] scores,
                      List<String> merges, SpecialIds special, Boolean addBos, Boolean addEos,
                      Boolean addSpacePrefix) {
        this.type = VocabularyType.forModel(model);
        if (tokens.isEmpty()) {
            throw new TokenizerException("the vocabulary has no tokens (tokenizer.ggml.tokens is empty)");
        }
        if (typeCodes != null && typeCodes.length < tokens.size()) {
            throw new TokenizerException("tokenizer.ggml.token_type has %d entries for %d tokens"
                    .formatted(typeCodes.length, tokens.size()));
        }
        if (scores != null && scores.length < tokens.size()) {
            throw new TokenizerException("tokenizer.ggml.scores has %d entries for %d tokens"
                    .formatted(scores.length, tokens.size()));
        }
        this.model = model;
        this.preName = preName == null ? "" : preName;
        this.pre = type == VocabularyType.SPM ? PreTokenizer.DEFAULT : PreTokenizer.forName(preName);
        int n = tokens.size();
        this.scores = scores == null ? new float[n] : java.util.Arrays.copyOf(scores, n);
        this.tokens = tokens.toArray(String[]::new);
        this.types = new TokenType[n];
        this.attrs = new int[n];
        this.ids = HashMap.newHashMap(n);
        for (int i = 0; i < n; i++) {
            Integer previous = ids.putIfAbsent(this.tokens[i], i);
            if (previous != null) {
                throw new TokenizerException("duplicate token in vocabulary: '%s' has ids %d and %d"
                        .formatted(this.tokens[i], previous, i));
            }
            types[i] = typeCodes == null ? TokenType.NORMAL : TokenType.fromCode(typeCodes[i]);
            attrs[i] = attrOf(types[i]);
        }
        this.mergeRanks = HashMap.newHashMap(merges.size());
        for (int rank = 0; rank < merges.size(); rank++) {
            mergeRanks.putIfAbsent(mergeKey(merges.get(rank)), rank);
        }
        this.mergeCount = merges.size();
        boolean spm = type == VocabularyType.SPM;
        this.special = new SpecialIds(inRange(orDefault(special.bos(), spm ? 1 : -1)),
                inRange(orDefault(special.eos(), spm ? 2 : -1)), inRange(special.eot()), inRange(special.eom()),
                inRange(orDefault(special.unk(), spm ? 0 : -1)), inRange(special.pad()));
        this.addBos = addBos != null ? addBos : spm || pre == PreTokenizer.LLAMA3;
        this.addSpacePrefix = addSpacePrefix != null ? addSpacePrefix : spm;
        this.addEos = addEos != null && addEos;
        if (this.addBos && this.special.bos() < 0) {
            throw new TokenizerException("add_bos_token is true, but tokenizer.ggml.bos_token_id is not set");
        }
        if (this.addEos && this.special.eos() < 0) {
            throw new TokenizerException("add_eos_token is true, but tokenizer.ggml.eos_token_id is not set");
        }
        this.endOfGeneration = new BitSet();
        this.eot = findEndTokens();
        this.specialTokensLongestFirst = specialTokensLongestFirst();
    }

    private Vocabulary(Vocabulary base, String preName) {
        this.type = base.type;
        this.model = base.model;
        this.scores = base.scores;
        this.addSpacePrefix = base.addSpacePrefix;
        this.preName = preName;
        this.pre = type == VocabularyType.SPM ? PreTokenizer.DEFAULT : PreTokenizer.forName(preName);
        this.tokens = base.tokens;
        this.types = base.types;
        this.attrs = base.attrs;
        this.ids = base.ids;
        this.mergeRanks = base.mergeRanks;
        this.mergeCount = base.mergeCount;
        this.special = base.special;
        this.eot = base.eot;
        this.addBos = base.addBos;
        this.addEos = base.addEos;
        this.endOfGeneration = base.endOfGeneration;
        this.specialTokensLongestFirst = base.specialTokensLongestFirst;
    }

    /**
     * The same vocabulary with another pre-tokenizer (for files whose {@code tokenizer.ggml.pre} is missing or
     * wrong). Everything else, add_bos included, stays as loaded.
     *
     * @throws TokenizerException if the name is not a supported pre-tokenizer
     */
    public Vocabulary withPreTokenizer(String preName) {
        return new Vocabulary(this, preName);
    }

    /**
     * llama.cpp splits a merge at the first space after its first character (so a merge of a literal space token
     * still parses) and looks pairs up as (left, right); joined again by that one space, the key is the rule
     * itself. A rule without such a space becomes llama.cpp's empty pair.
     */
    private static String mergeKey(String merge) {
        return merge.indexOf(' ', 1) < 0 ? " " : merge;
    }

    private static int orDefault(int id, int dflt) {
        return id >= 0 ? id : dflt;
    }

    private int inRange(int id) {
        return id >= 0 && id < tokens.length ? id : -1;
    }

    private static int attrOf(TokenType type) {
        return switch (type) {
            case UNDEFINED -> ATTR_UNDEFINED;
            case NORMAL -> ATTR_NORMAL;
            case UNKNOWN -> ATTR_UNKNOWN;
            case CONTROL -> ATTR_CONTROL;
            case USER_DEFINED -> ATTR_USER_DEFINED;
            case UNUSED -> ATTR_UNUSED;
            case BYTE -> ATTR_BYTE;
        };
    }

    /**
     * Finds end-of-turn / end-of-generation tokens by their text as llama.cpp does (its converters do not always
     * record them) and forces them to CONTROL. Returns the end-of-turn id.
     */
    private int findEndTokens() {
        int eotId = special.eot();
        for (int id = 0; id < tokens.length; id++) {
            String text = tokens[id];
            boolean isEot = eotId < 0 && EOT_TEXTS.contains(text);
            if (isEot) {
                eotId = id;
            }
            boolean endsGeneration = EOG_TEXTS.contains(text) || FIM_EOG_TEXTS.contains(text);
            if (isEot || endsGeneration || FIM_TEXTS.contains(text)) {
                attrs[id] |= ATTR_CONTROL;
            }
            if (endsGeneration) {
                endOfGeneration.set(id);
            }
            if ((attrs[id] & ATTR_CONTROL) != 0 && text.contains("unused")) {
                attrs[id] |= ATTR_UNUSED;
            }
        }
        for (int id : new int[] {special.eos(), eotId, special.eom()}) {
            if (id >= 0) {
                endOfGeneration.set(id);
            }
        }
        return eotId;
    }

    /** Tokens cut out of the text before BPE, longest UTF-8 text first (ties by id, for a stable order). */
    private int[] specialTokensLongestFirst() {
        List<Integer> list = new ArrayList<>();
        for (int id = 0; id < tokens.length; id++) {
            if ((attrs[id] & (ATTR_CONTROL | ATTR_USER_DEFINED | ATTR_UNKNOWN)) != 0) {
                list.add(id);
            }
        }
        int[] utf8Length = new int[tokens.length];
        for (int id : list) {
            utf8Length[id] = tokens[id].getBytes(StandardCharsets.UTF_8).length;
        }
        list.sort(Comparator.comparingInt((Integer id) -> -utf8Length[id]).thenComparingInt(id -> id));
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The algorithm this vocabulary tokenizes with. */
    public VocabularyType type() {
        return type;
    }

    /** The SentencePiece score of a token (higher merges first); 0 when the file has none. */
    public float score(int id) {
        return scores[id];
    }

    /** Whether a space is put before text that follows the start or a special token (SentencePiece). */
    public boolean addSpacePrefix() {
        return addSpacePrefix;
    }

    /** {@code tokenizer.ggml.model}. */
    public String model() {
        return model;
    }

    /** {@code tokenizer.ggml.pre} as stored (empty if absent). */
    public String preName() {
        return preName;
    }

    /** The pre-tokenizer {@link #preName()} selects. */
    public PreTokenizer preTokenizer() {
        return pre;
    }

    /** Number of tokens (ids are 0 .. size-1). */
    public int size() {
        return tokens.length;
    }

    /** The stored text of a token (byte-level alphabet for NORMAL tokens). */
    public String token(int id) {
        return tokens[id];
    }

    /** The id of a stored token text, or -1. */
    public int id(String tokenText) {
        Integer id = ids.get(tokenText);
        return id == null ? -1 : id;
    }

    /** The type recorded in the file (before llama.cpp's adjustments). */
    public TokenType type(int id) {
        return types[id];
    }

    /** Rank of merging {@code left} and {@code right} (lower merges first), or -1 if they never merge. */
    public int mergeRank(String left, String right) {
        Integer rank = mergeRanks.get(left + " " + right);
        return rank == null ? -1 : rank;
    }

    /** Number of merge rules. */
    public int mergeCount() {
        return mergeCount;
    }

    /** Begin-of-sequence id, or -1. */
    public int bos() {
        return special.bos();
    }

    /** End-of-sequence id, or -1. */
    public int eos() {
        return special.eos();
    }

    /** End-of-turn id (from the file or found by text such as {@code <|im_end|>}), or -1. */
    public int eot() {
        return eot;
    }

    /** Unknown-token id, or -1. */
    public int unk() {
        return special.unk();
    }

    /** Padding id, or -1. */
    public int pad() {
        return special.pad();
    }

    /** Whether encoding with special tokens prepends BOS. */
    public boolean addBos() {
        return addBos;
    }

    /** Whether encoding with special tokens appends EOS. */
    public boolean addEos() {
        return addEos;
    }

    /** True for tokens that end generation: EOS, EOT, EOM and llama.cpp's list of such texts. */
    public boolean isEndOfGeneration(int id) {
        return id >= 0 && endOfGeneration.get(id);
    }

    /** Ids of all end-of-generation tokens, ascending. */
    public int[] endOfGenerationIds() {
        return endOfGeneration.stream().toArray();
    }

    boolean hasAttr(int id, int attr) {
        return (attrs[id] & attr) != 0;
    }

    /** Tokens cut out of the text before BPE (CONTROL, USER_DEFINED, UNKNOWN), longest first. */
    int[] specialTokenOrder() {
        return specialTokensLongestFirst;
    }

    @Override
    public String toString() {
        return "Vocabulary[model=%s, pre=%s, tokens=%d, merges=%d, bos=%d, eos=%d, addBos=%b]"
                .formatted(model, preName, tokens.length, mergeCount, bos(), eos(), addBos);
    }
}
