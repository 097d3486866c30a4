package r1j.tokenizer;

/** Tokenizes one stretch of plain text between special tokens; one implementation per {@link VocabularyType}. */
sealed interface FragmentEncoder permits BpeMerger, SpmMerger {

    /**
     * Appends the tokens of {@code fragment}.
     *
     * @param afterSpecial true when the fragment starts the input or follows a special token (SentencePiece puts a
     *                     space before such text)
     */
    void encodeFragment(String fragment, boolean afterSpecial, IntList out);

    /** The encoder a vocabulary needs. */
    static FragmentEncoder of(Vocabulary vocab) {
        return switch (vocab.type()) {
            case BPE -> new BpeMerger(vocab);
            case SPM -> new SpmMerger(vocab);
        };
    }
}
