package dev.laurel.engine.config;

import java.util.Collection;

/** "Did you mean ...?" for a misspelt key, option, type or choice. */
public final class ClosestName {
    /** Further than this many edits, a suggestion would be a guess. */
    private static final int MAX_DISTANCE = 2;

    private ClosestName() {
    }

    /** The first of {@code names} within two edits of {@code wrong}, the nearest first; or null. */
    static String to(String wrong, Collection<String> names) {
        String best = null;
        int bestDistance = MAX_DISTANCE + 1;
        for (String name : names) {
            int d = distance(wrong, name);
            if (d < bestDistance) {
                best = name;
                bestDistance = d;
            }
        }
        return best;
    }

    /** {@code "; did you mean \"NAME\"?"} or the empty string. */
    public static String suggestion(String wrong, Collection<String> names) {
        String best = to(wrong, names);
        return best == null ? "" : "; did you mean \"" + best + "\"?";
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
