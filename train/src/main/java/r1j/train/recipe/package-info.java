/**
 * The tiny-R1 recipe: cold-start SFT on synthetic R1 traces, GRPO with rule-based rewards, distillation of a
 * teacher's verified traces into a smaller student, evaluation on held-out splits and GGUF export. All sampling
 * (rollouts, evaluation, teacher traces) runs on {@code r1j.engine} over the exported GGUF ({@link
 * r1j.train.recipe.Generator}). Depends on {@code r1j.train.*}, {@code r1j.gguf}, {@code r1j.engine},
 * {@code r1j.sample} and the JDK.
 */
package r1j.train.recipe;
