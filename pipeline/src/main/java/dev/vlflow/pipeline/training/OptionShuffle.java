package dev.vlflow.pipeline.training;

import dev.vlflow.connectors.videomme.VideoMmeQuestion;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Re-orders a question's options (and re-letters them), so a model trained on the variants learns the content of
 * the answer rather than the letter the file happened to put it under. {@code "A. Red."} style prefixes are
 * stripped, the texts permuted, the prefixes written again; the answer letter follows its text.
 */
public final class OptionShuffle {

    private static final Pattern PREFIX = Pattern.compile("^([A-Z])\\.\\s?(.*)$", Pattern.DOTALL);

    private OptionShuffle() {
    }

    /** The option texts without their letter prefixes ({@code "A. Red."} -> {@code "Red."}). */
    public static List<String> texts(VideoMmeQuestion q) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < q.options().size(); i++) {
            String option = q.options().get(i);
            Matcher m = PREFIX.matcher(option);
            if (!m.matches() || m.group(1).charAt(0) != 'A' + i) {
                throw new IllegalArgumentException("option " + i + " of " + q.questionId() + " is not lettered "
                        + (char) ('A' + i) + ": " + option);
            }
            out.add(m.group(2));
        }
        return out;
    }

    /** Whether two options read the same (then the answer letter is ambiguous and the question teaches noise). */
    public static boolean hasDuplicateOptions(VideoMmeQuestion q) {
        List<String> texts = texts(q);
        return new HashSet<>(texts).size() != texts.size();
    }

    /**
     * The question with its options in the order {@code order} (a permutation: new position i holds old option
     * {@code order[i]}).
     */
    public static VideoMmeQuestion permute(VideoMmeQuestion q, int[] order) {
        List<String> texts = texts(q);
        if (order.length != texts.size()) {
            throw new IllegalArgumentException("permutation of " + order.length + " for " + texts.size() + " options");
        }
        boolean[] seen = new boolean[order.length];
        List<String> options = new ArrayList<>();
        int answer = -1;
        for (int i = 0; i < order.length; i++) {
            if (order[i] < 0 || order[i] >= order.length || seen[order[i]]) {
                throw new IllegalArgumentException("not a permutation: " + java.util.Arrays.toString(order));
            }
            seen[order[i]] = true;
            options.add((char) ('A' + i) + ". " + texts.get(order[i]));
            if (order[i] == q.answerIndex()) {
                answer = i;
            }
        }
        return new VideoMmeQuestion(q.questionId(), q.taskType(), q.question(), options,
                String.valueOf((char) ('A' + answer)), q.answerSentence());
    }

    /** A uniformly random re-ordering drawn from {@code rng}. */
    public static VideoMmeQuestion shuffle(VideoMmeQuestion q, Random rng) {
        int n = q.options().size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return permute(q, order);
    }
}
