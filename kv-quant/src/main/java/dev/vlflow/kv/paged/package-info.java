/**
 * Storage of the paged mixed-precision KV cache ({@link dev.vlflow.kv.PagedKvCache}).
 * <ul>
 *   <li>{@link dev.vlflow.kv.paged.PagedLayer} — one layer: page table, staging buffers, fp32 window; slot order,
 *       precision regrouping, eviction, copy-on-write forks.</li>
 *   <li>{@link dev.vlflow.kv.paged.Page} — quantized tokens of one precision, filled one key group at a time
 *       (layout drawn in its Javadoc); {@link dev.vlflow.kv.paged.TokenRows} — fp32 tokens.</li>
 *   <li>{@link dev.vlflow.kv.paged.TileCodec} — the quantizer and plane packing of one (group, head) tile;
 *       {@link dev.vlflow.kv.paged.Fp16} — half precision for Java 17.</li>
 *   <li>{@link dev.vlflow.kv.paged.LayerView} — a layer as the kernels walk it.</li>
 * </ul>
 */
package dev.vlflow.kv.paged;
