/**
 * The bounded Video-MME evaluation ({@code vlflow eval videomme}).
 *
 * <pre>
 * EvalPlan.open: annotations (limited) + predictions.jsonl (progress log) -> videos still to do
 *   per video, VideoEvaluator: sample N uniform frames -> encode -> prefill once -> ask each question on a fork
 *                              (greedy, 16 tokens) -> extract the letter            [VideoOutcome]
 *   runners: FlinkEvalJob (bounded job on a MiniCluster, parallelism = slots, model shared per TaskManager by the
 *            operators' SharedModels)
 *            PlainEvalRunner (threads over the engine API)
 *   Tracker: log each video's predictions as it finishes, count, show progress
 * EvalOutputs: results.json (official format, responses filled), summary.json, report.md / report.html
 * </pre>
 * A rerun skips every video whose questions are all in the log. {@link dev.vlflow.pipeline.eval.EvalReport} puts
 * several runs side by side ({@code vlflow eval report}).
 */
package dev.vlflow.pipeline.eval;
