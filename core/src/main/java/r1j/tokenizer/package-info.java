/**
 * Text to token ids and back, bit-exact with llama.cpp for byte-level BPE vocabularies (and SentencePiece ones).
 *
 * <p>{@link r1j.tokenizer.Vocabulary} holds the tokens, their types, the merge ranks and the special ids, loaded from
 * GGUF metadata ({@code tokenizer.ggml.*}) or from a Hugging Face {@code vocab.json} + {@code merges.txt} pair.
 * {@link r1j.tokenizer.Tokenizer} encodes in three steps, as llama.cpp's {@code llama_tokenize} does: special tokens
 * are cut out of the text first ({@code tokenizer_st_partition}), the remaining fragments are split into words by the
 * pre-tokenizer named in {@code tokenizer.ggml.pre} ({@link r1j.tokenizer.PreTokenizer}, reproducing
 * {@code unicode_regex_split} including its custom GPT-2 / Llama-3 splitters and its "collapsed" category regexes),
 * and each word is byte-encoded (GPT-2 {@code bytes_to_unicode}) and merged by rank. Decoding maps token pieces back
 * to bytes; {@link r1j.tokenizer.StreamingDecoder} never emits a broken UTF-8 sequence. SentencePiece vocabularies
 * ({@code tokenizer.ggml.model = llama}) skip the pre-tokenizer and merge by score ({@code SpmMerger}).
 *
 * <p>Depends on the JDK and {@code r1j.gguf} (metadata reading) only; jackson reads {@code vocab.json}.
 */
package r1j.tokenizer;
