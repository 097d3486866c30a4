package r1j.tokenizer;

import r1j.gguf.GgufMetadata;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Encodes text to token ids and decodes ids to text, matching llama.cpp's {@code llama_tokenize} and
 * {@code llama_token_to_piece} for byte-level BPE vocabularies (and SentencePiece ones). Immutable and thread-safe.
 *
 * <p>Encoding: special tokens are cut out first ({@link SpecialTokenSplitter}); each remaining fragment is split
 * into words by the vocabulary's {@link PreTokenizer}; each word is written in the byte-level alphabet and merged
 * ({@link BpeMerger}). SentencePiece vocabularies merge whole fragments by score instead ({@link SpmMerger}).
 */
public final class Tokenizer {
    private final Vocabulary vocab;
    private final SpecialTokenSplitter specials;
    private final FragmentEncoder encoder;
    /** Decoded bytes of every token with special tokens rendered (llama.cpp's token-to-piece cache). */
    private final byte[][] pieces;

    public Tokenizer(Vocabulary vocab) {
        this.vocab = vocab;
        this.specials = new SpecialTokenSplitter(vocab);
        this.encoder = FragmentEncoder.of(vocab);
        this.pieces = new byte[vocab.size()][];
        for (int id = 0; id < pieces.length; id++) {
            pieces[id] = piece(id);
        }
    }

    /**
     * Loads the vocabulary of a GGUF file (a full model or a vocabulary-only file) or of a Hugging Face directory;
     * see {@link VocabularyLoader#load}.
     *
     * @param preOverride pre-tokenizer name instead of the file's {@code tokenizer.ggml.pre}; required for a
     *                    directory; null keeps the file's
     * @throws TokenizerException if the files cannot be read or describe an unsupported tokenizer
     */
    public static Tokenizer load(Path path, String preOverride) {
        return new Tokenizer(VocabularyLoader.load(path, preOverride));
    }

    /** The tokenizer of an already opened GGUF file (its {@code tokenizer.ggml.*} metadata). */
    public static Tokenizer fromGguf(GgufMetadata metadata) {
        return new Tokenizer(VocabularyLoader.fromGguf(metadata));
    }

    /** The vocabulary. */
    public Vocabulary vocabulary() {
        return vocab;
    }

    /**
     * Encodes text.
     *
     * @param text         the text (any Unicode)
     * @param addSpecial   add the special tokens the vocabulary asks for: BOS first when {@code add_bos_token},
     *                     EOS last when {@code add_eos_token} (llama.cpp's {@code add_special})
     * @param parseSpecial recognise CONTROL tokens such as {@code <｜User｜>} in the text; when false they are
     *                     tokenized as plain text (USER_DEFINED tokens such as {@code <think>} are recognised always,
     *                     as in llama.cpp)
     * @return token ids
     */
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        IntList out = new IntList(text.length() / 3 + 2);
        if (addSpecial && vocab.addBos()) {
            out.add(vocab.bos());
        }
        boolean afterSpecial = true; // the start counts as "after a special token" for SentencePiece's space prefix
        for (SpecialTokenSplitter.Fragment f : specials.split(text, parseSpecial)) {
            if (f.isText()) {
                encoder.encodeFragment(text.substring(f.start(), f.end()), afterSpecial, out);
                afterSpecial = false;
            } else {
                out.add(f.token());
                afterSpecial = true;
            }
        }
        if (addSpecial && vocab.addEos()) {
            out.add(vocab.eos());
        }
        return out.toArray();
    }

    /** {@link #encode(String, boolean, boolean)} as a list. */
    public List<Integer> encodeToList(String text, boolean addSpecial, boolean parseSpecial) {
        return java.util.Arrays.stream(encode(text, addSpecial, parseSpecial)).boxed().toList();
    }

    /** The bytes of a sequence of tokens, special tokens rendered as their text. */
    public byte[] decodeBytes(int[] ids) {
        return decodeBytes(ids, true);
    }

    /**
     * The bytes of a sequence of tokens.
     *
     * @param renderControl write CONTROL and UNKNOWN tokens (such as EOS) as their text; when false they produce
     *                      nothing, as llama.cpp's generation output does by default. USER_DEFINED tokens such as
     *                      {@code </think>} are always written.
     */
    public byte[] decodeBytes(int[] ids, boolean renderControl) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            out.writeBytes(tokenBytes(id, renderControl));
        }
        return out.toByteArray();
    }

    /** The text of a sequence of tokens (special tokens rendered); invalid UTF-8 becomes U+FFFD. */
    public String decode(int[] ids) {
        return new String(decodeBytes(ids, true), StandardCharsets.UTF_8);
    }

    /** The text of a sequence of tokens; see {@link #decodeBytes(int[], boolean)}. */
    public String decode(int[] ids, boolean renderControl) {
        return new String(decodeBytes(ids, renderControl), StandardCharsets.UTF_8);
    }

    /** A decoder for one generated sequence, rendering special tokens as text. */
    public StreamingDecoder newStreamingDecoder() {
        return new StreamingDecoder(this, true);
    }

    /** A decoder for one generated sequence; see {@link #decodeBytes(int[], boolean)} for renderControl. */
    public StreamingDecoder newStreamingDecoder(boolean renderControl) {
        return new StreamingDecoder(this, renderControl);
    }

    /**
     * The bytes one token stands for (may be part of a UTF-8 character).
     *
     * @throws IndexOutOfBoundsException for an id outside the vocabulary
     */
    public byte[] tokenBytes(int id, boolean renderControl) {
        if (id < 0 || id >= pieces.length) {
            throw new IndexOutOfBoundsException("token id " + id + " is outside the vocabulary of " + pieces.length);
        }
        if (!renderControl && vocab.hasAttr(id, Vocabulary.ATTR_CONTROL | Vocabulary.ATTR_UNKNOWN)) {
            return new byte[0];
        }
        return pieces[id].clone();
    }

    /** llama.cpp's {@code token_to_piece} for a BPE vocabulary, special tokens rendered. */
    private byte[] piece(int id) {
        String text = vocab.token(id);
        if (vocab.hasAttr(id, Vocabulary.ATTR_CONTROL | Vocabulary.ATTR_UNKNOWN | Vocabulary.ATTR_USER_DEFINED)) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if (vocab.hasAttr(id, Vocabulary.ATTR_NORMAL)) {
            return vocab.type() == VocabularyType.SPM
                    ? text.replace(SpmMerger.SPACE_MARK, ' ').getBytes(StandardCharsets.UTF_8)
                    : ByteLevel.decodeText(text);
        }
        if (vocab.hasAttr(id, Vocabulary.ATTR_BYTE) && text.length() == 6 && text.startsWith("<0x")) {
            return new byte[] {(byte) Integer.parseInt(text.substring(3, 5), 16)};
        }
        return new byte[0]; // UNUSED and UNDEFINED tokens have no text
    }

    /** Begin-of-sequence id, or -1. */
    public int bos() {
        return vocab.bos();
    }

    /** End-of-sequence id, or -1. */
    public int eos() {
        return vocab.eos();
    }

    /** Number of tokens. */
    public int vocabSize() {
        return vocab.size();
    }

    /** The token's text as stored in the vocabulary (byte-level alphabet for normal tokens, e.g. {@code ĠHello}). */
    public String tokenText(int id) {
        return vocab.token(id);
    }

    /**
     * The id of a token given either as stored ({@code ĠHello}, {@code <think>}) or as the plain text it stands for
     * ({@code " Hello"}); the stored spelling wins if both match. -1 if there is no such single token.
     */
    public int tokenId(String piece) {
        int id = vocab.id(piece);
        if (id >= 0) {
            return id;
        }
        String stored = switch (vocab.type()) {
            case BPE -> ByteLevel.encode(piece);
            case SPM -> piece.replace(' ', SpmMerger.SPACE_MARK);
        };
        return vocab.id(stored);
    }

    /** True for CONTROL, USER_DEFINED and UNKNOWN tokens: those matched as a whole in text, never by BPE. */
    public boolean isSpecial(int id) {
        return vocab.hasAttr(id, Vocabulary.ATTR_CONTROL | Vocabulary.ATTR_USER_DEFINED | Vocabulary.ATTR_UNKNOWN);
    }

    /** True for tokens that end generation (EOS, end of turn such as {@code <|im_end|>}, ...). */
    public boolean isEndOfGeneration(int id) {
        return vocab.isEndOfGeneration(id);
    }
}
