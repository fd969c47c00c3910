package dev.vlflow.connectors.videomme;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Accuracy under one rule: overall and per duration class, domain, sub-category and task type. Groups appear in
 * the reference scorers' order (taxonomy lists first, then any other values in order of appearance); groups with
 * no question are left out.
 *
 * @param rule          the scoring rule
 * @param questions     questions scored (answered or not)
 * @param overall       all questions
 * @param byDuration    per duration class
 * @param byDomain      per domain
 * @param bySubCategory per sub-category
 * @param byTaskType    per task type
 */
public record Scoreboard(ScoreRule rule, int questions, Tally overall, Map<DurationClass, Tally> byDuration,
                         Map<String, Tally> byDomain, Map<String, Tally> bySubCategory,
                         Map<String, Tally> byTaskType) {

    public Scoreboard {
        byDuration = Map.copyOf(byDuration);
        byDomain = unmodifiableOrdered(byDomain);
        bySubCategory = unmodifiableOrdered(bySubCategory);
        byTaskType = unmodifiableOrdered(byTaskType);
    }

    public static Scoreboard of(ScoreRule rule, Collection<ScoredAnswer> answers) {
        Tally overall = Tally.ZERO;
        Map<DurationClass, Tally> byDuration = new LinkedHashMap<>();
        for (ScoredAnswer a : answers) {
            overall = overall.plus(a.tally(rule));
            byDuration.merge(a.duration(), a.tally(rule), Tally::plus);
        }
        return new Scoreboard(rule, answers.size(), overall, byDuration,
                group(rule, answers, ScoredAnswer::domain, Taxonomy.DOMAINS),
                group(rule, answers, ScoredAnswer::subCategory, Taxonomy.SUB_CATEGORIES),
                group(rule, answers, ScoredAnswer::taskType, Taxonomy.TASK_TYPES));
    }

    /** Per duration class in short, medium, long order (classes with no question left out). */
    public Map<DurationClass, Tally> byDurationOrdered() {
        Map<DurationClass, Tally> out = new LinkedHashMap<>();
        for (DurationClass d : DurationClass.values()) {
            if (byDuration.containsKey(d)) {
                out.put(d, byDuration.get(d));
            }
        }
        return out;
    }

    private static Map<String, Tally> group(ScoreRule rule, Collection<ScoredAnswer> answers,
                                            Function<ScoredAnswer, String> key, List<String> order) {
        Map<String, Tally> seen = new LinkedHashMap<>();
        for (ScoredAnswer a : answers) {
            seen.merge(key.apply(a), a.tally(rule), Tally::plus);
        }
        Map<String, Tally> out = new LinkedHashMap<>();
        for (String k : order) {
            if (seen.containsKey(k)) {
                out.put(k, seen.remove(k));
            }
        }
        out.putAll(seen);
        return out;
    }

    private static Map<String, Tally> unmodifiableOrdered(Map<String, Tally> m) {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
