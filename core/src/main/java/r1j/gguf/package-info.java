/**
 * The GGUF file format: {@link r1j.gguf.GgufFile} maps a file with FFM and exposes its metadata and tensor table,
 * tensor data being slices of the mapping (nothing is copied to the heap); {@link r1j.gguf.GgufWriter} writes
 * version 3 files atomically. Every malformed input is reported as a {@link r1j.gguf.GgufFormatException} whose
 * message names the file, the field or tensor, and the problem.
 *
 * <p>Format: <a href="https://github.com/ggml-org/ggml/blob/master/docs/gguf.md">ggml docs/gguf.md</a>
 * (little-endian; versions 2 and 3 share one layout, version 1 used 32-bit counts and is not read).
 *
 * <p>Depends on {@code r1j.tensor} (the type table {@code GgmlType} and {@code WeightMatrix}) and the JDK only.
 */
package r1j.gguf;
