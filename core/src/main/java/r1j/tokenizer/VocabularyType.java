package r1j.tokenizer;

/** The tokenization algorithm a vocabulary needs, named in GGUF {@code tokenizer.ggml.model}. */
public enum VocabularyType {
    /** Byte-level BPE with a regex pre-tokenizer ({@code gpt2}): GPT-2, Llama 3, Qwen2, DeepSeek. */
    BPE("gpt2"),
    /** SentencePiece BPE with scores and byte fallback ({@code llama}): Llama 1/2, Mistral. */
    SPM("llama");

    private final String ggufName;

    VocabularyType(String ggufName) {
        this.ggufName = ggufName;
    }

    /** The {@code tokenizer.ggml.model} value. */
    public String ggufName() {
        return ggufName;
    }

    /**
     * The type for a {@code tokenizer.ggml.model} value.
     *
     * @throws TokenizerException for models r1j does not tokenize (bert, t5, rwkv, ...)
     */
    public static VocabularyType forModel(String model) {
        for (VocabularyType t : values()) {
            if (t.ggufName.equals(model)) {
                return t;
            }
        }
        throw new TokenizerException("tokenizer model '" + model + "' is not supported; supported: gpt2 (byte-level"
                + " BPE, as DeepSeek-R1 and its distills use) and llama (SentencePiece)");
    }
}
