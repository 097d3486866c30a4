/**
 * Sampling: {@link r1j.sample.SamplerSettings} (a validated record) and the {@link r1j.sample.Sampler}, a chain of
 * small steps in llama.cpp's default order (common/common.h {@code samplers}): penalties → top-k → top-p → min-p →
 * temperature → pick. One {@code Sampler} per sequence holds that sequence's recent tokens and its seeded random
 * generator; its buffers are sized once for the vocabulary, so sampling a token allocates nothing.
 *
 * <p>Depends on the JDK only.
 */
package r1j.sample;
