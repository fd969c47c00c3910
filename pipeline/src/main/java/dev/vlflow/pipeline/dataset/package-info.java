/**
 * The synthetic Video-MME-format set ({@code vlflow make-dataset videomme-synthetic}):
 * {@link dev.vlflow.pipeline.dataset.ScenePlanner} plans scenes of moving shapes from a seed,
 * {@link dev.vlflow.pipeline.dataset.SceneQuestions} asks three questions with known answers (letters and
 * sentences) and writes subtitle tracks, {@link dev.vlflow.pipeline.dataset.SyntheticVideoMme} renders the videos
 * (vision's synthetic video generator) and writes both annotation formats and the ground truth.
 */
package dev.vlflow.pipeline.dataset;
