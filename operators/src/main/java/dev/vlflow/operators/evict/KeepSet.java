package dev.vlflow.operators.evict;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Which slots of a layer survive a budget: the first {@code sink} slots, the last {@code recent} slots, and the
 * {@code budget - sink - recent} most important slots between them (ties: the earlier slot). Pure bookkeeping, no
 * model involved.
 */
public final class KeepSet {

    private KeepSet() {
    }

    /**
     * @param importance [size] score of each slot (only the middle slots' scores are used)
     * @return ascending slot indices, {@code min(size, budget)} of them
     */
    public static int[] select(double[] importance, int size, int budget, int sink, int recent) {
        if (size <= budget) {
            return IntStream.range(0, size).toArray();
        }
        int middleFrom = Math.min(sink, size);
        int middleTo = Math.max(middleFrom, size - recent);
        int chosen = budget - middleFrom - (size - middleTo);
        if (chosen < 0) {
            throw new IllegalArgumentException("budget " + budget + " below sink " + sink + " + recent " + recent);
        }
        Integer[] middle = IntStream.range(middleFrom, middleTo).boxed().toArray(Integer[]::new);
        Arrays.sort(middle, Comparator.<Integer>comparingDouble(i -> -importance[i]).thenComparingInt(i -> i));
        int[] keep = IntStream.concat(IntStream.concat(IntStream.range(0, middleFrom),
                        Arrays.stream(middle, 0, chosen).mapToInt(Integer::intValue)),
                IntStream.range(middleTo, size)).toArray();
        Arrays.sort(keep);
        return keep;
    }
}
