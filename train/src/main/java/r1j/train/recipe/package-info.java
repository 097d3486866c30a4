/**
 * The tiny-R1 recipe: cold-start SFT on synthetic R1 traces, GRPO with rule-based rewards, distillation of a
 * teacher's verified traces into a smaller student, evaluation on held-out splits and GGUF export. Depends on
 * {@code r1j.train.*}, {@code r1j.gguf} and the JDK.
 */
package r1j.train.recipe;
