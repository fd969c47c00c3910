/**
 * Video-MME as the benchmark defines it, independent of any model: the two annotation layouts
 * ({@link dev.vlflow.connectors.videomme.OfficialJsonReader official JSON},
 * {@link dev.vlflow.connectors.videomme.ParquetReader Hugging Face parquet}) read into one immutable model
 * ({@link dev.vlflow.connectors.videomme.Annotations} of {@link dev.vlflow.connectors.videomme.VideoMmeVideo}s),
 * written back by {@link dev.vlflow.connectors.videomme.AnnotationWriter} (the results file is the official JSON
 * with {@code response} filled); subtitles ({@link dev.vlflow.connectors.videomme.SrtReader}) aligned to sampled
 * frames; the prompt templates ({@link dev.vlflow.connectors.videomme.VideoMmePrompt}, official and lmms-eval);
 * the shared letter-extraction rule ({@link dev.vlflow.connectors.videomme.AnswerExtractor}); and scoring under both
 * rules ({@link dev.vlflow.connectors.videomme.Scoreboard}). Facts and sources: ECOSYSTEM.md section 1.
 */
package dev.vlflow.connectors.videomme;
