/**
 * ZipVL (ALGORITHMS.md §1): layer-wise adaptive sparse prefill and importance-driven 4/2-bit KV.
 *
 * <pre>
 * DecoderRunner.prefill(..)            one SparsePrefill per call (state: important positions of earlier chunks)
 *   per chunk, per layer l:
 *     append K/V of every token         (cache; at the policy's default precision)
 *     l dense?   -> causal attention, all tokens important
 *     else       -> probes = last 64 + 64 random rows      (TokenSelection.probes)
 *                   mass a_j from their causal softmax       (AttentionQuery.keyMass, all heads)
 *                   p = Eq. 6 (or the forced ratio), T = Eq. 7-8, last token kept
 *                   markImportance(T)                        (mixed cache: 4 bits for T, 2 for the rest)
 *                   attention of rows T among visible tokens (AttentionMask.Subset), other rows 0
 *   end of call: seal every layer         (the prompt quantized whole; no fp32 window over it)
 * DecoderRunner.forward (decode)       DecodeRecompression: dense attention; every 100 new tokens they are scored
 *                                      by the current query (Eq. 6) and sealed at 4/2 bits
 * VlSession.ask                        PromptPart.QUESTION: a question no longer than the probe count attends
 *                                      densely; with Demotion.DEMOTE its rows also demote cached tokens (§1.9)
 * </pre>
 *
 * <p>Settings: {@link dev.vlflow.engine.zipvl.ZipVlOptions} (parsed once at the edges: {@code ask --zipvl},
 * {@code eval videomme --zipvl}, the job's {@code vlflow.model.zipvl}); statistics:
 * {@link dev.vlflow.engine.zipvl.ZipVlStats}.
 */
package dev.vlflow.engine.zipvl;
