package dev.vlflow.connectors.videomme;

import java.util.List;

/** Video-MME's categories, in the order the official scorer reports them. */
public final class Taxonomy {

    public static final List<String> DOMAINS = List.of("Knowledge", "Film & Television", "Sports Competition",
            "Artistic Performance", "Life Record", "Multilingual");

    public static final List<String> SUB_CATEGORIES = List.of("Humanity & History", "Literature & Art",
            "Biology & Medicine", "Finance & Commerce", "Astronomy", "Geography", "Law", "Life Tip", "Technology",
            "Animation", "Movie & TV Show", "Documentary", "News Report", "Esports", "Basketball", "Football",
            "Athletics", "Other Sports", "Stage Play", "Magic Show", "Variety Show", "Acrobatics", "Handicraft",
            "Food", "Fashion", "Daily Life", "Travel", "Pet & Animal", "Exercise", "Multilingual");

    public static final List<String> TASK_TYPES = List.of("Temporal Perception", "Spatial Perception",
            "Attribute Perception", "Action Recognition", "Object Recognition", "OCR Problems", "Counting Problem",
            "Temporal Reasoning", "Spatial Reasoning", "Action Reasoning", "Object Reasoning", "Information Synopsis");

    private Taxonomy() {
    }
}
