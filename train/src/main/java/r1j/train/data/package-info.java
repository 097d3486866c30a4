/**
 * Text side of the tiny model: its byte-level BPE vocabulary ({@link r1j.train.data.TinyVocab}, the same format as
 * GPT-2/Qwen GGUF vocabularies, {@code deepseek-r1-qwen} pre-tokenizer) and the R1 chat rendering of training
 * examples, learned or shown-only trace segments. Depends on {@code r1j.train.task} and the JDK.
 */
package r1j.train.data;
