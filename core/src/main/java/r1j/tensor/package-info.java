/**
 * Tensor types and compute kernels: {@link r1j.tensor.GgmlType} (block layouts as data), one
 * {@link r1j.tensor.WeightMatrix} class per ggml format over a memory-mapped little-endian
 * {@link java.lang.foreign.MemorySegment} (each with a plain scalar reference beside its Vector API kernel),
 * {@link r1j.tensor.VectorMath} float-array operations, {@link r1j.tensor.Quantizer} and the
 * {@link r1j.tensor.ComputePool} that splits work over one platform thread per core.
 *
 * <p>Depends on the JDK only. This is the one package that imports {@code jdk.incubator.vector}; every other
 * package computes through the types here.
 */
package r1j.tensor;
