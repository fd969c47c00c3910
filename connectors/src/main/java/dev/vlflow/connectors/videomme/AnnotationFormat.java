package dev.vlflow.connectors.videomme;

/** The two Video-MME annotation layouts in circulation. */
public enum AnnotationFormat {
    /**
     * The official release JSON: an array with one object per video ({@code video_id}, {@code duration_category},
     * {@code video_category}, {@code video_subcategory}, {@code url}) and its {@code questions} nested, each with
     * {@code choices}.
     */
    OFFICIAL_JSON,
    /**
     * The Hugging Face parquet ({@code lmms-lab/Video-MME}): one row per question with {@code video_id},
     * {@code duration}, {@code domain}, {@code sub_category}, {@code url}, {@code videoID} (names the files),
     * {@code question_id}, {@code task_type}, {@code question}, {@code options}, {@code answer}.
     */
    HF_PARQUET
}
