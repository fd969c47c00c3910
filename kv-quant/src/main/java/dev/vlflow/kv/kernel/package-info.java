/**
 * The hot kernels of kv-quant, the only package that imports {@code jdk.incubator.vector}. Each Vector API
 * kernel has a scalar twin it is tested against, and {@link dev.vlflow.kv.kernel.Kernels} picks one or the other
 * in one place (scalar when the JVM lacks {@code --add-modules=jdk.incubator.vector}).
 * <ul>
 *   <li>{@link dev.vlflow.kv.kernel.FloatAttentionKernel} — attention over {@code FloatKvCache}'s blocked keys;
 *       twin {@link dev.vlflow.kv.FloatAttention}.</li>
 *   <li>{@link dev.vlflow.kv.kernel.PagedAttentionKernel} — fused attention over quantized pages (decode tile →
 *       score / accumulate, no float copy of the cache); twin
 *       {@link dev.vlflow.kv.kernel.PagedAttentionScalar}.</li>
 *   <li>{@code TileMath} (score a channel-major tile for a GQA group), {@code ValueSums} (weighted value sums),
 *       both register-blocked over up to 8 heads, and {@code TileDecoder}
 *       (codes → floats, bit-identical to {@code TileCodec}) are their building blocks; {@code Softmax} is fp32
 *       two-pass with a vectorized exp.</li>
 * </ul>
 * Benchmarks: {@code ./vlflow bench kv} and the JMH class {@code dev.vlflow.bench.kv.jmh.KvAttentionBenchmark}.
 */
package dev.vlflow.kv.kernel;
