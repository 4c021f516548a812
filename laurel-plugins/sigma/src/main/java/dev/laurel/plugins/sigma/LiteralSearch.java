package dev.laurel.plugins.sigma;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Finds many literals in a text in one pass (Aho-Corasick, as a table of transitions): each
 * field is read once for the literals of every rule that tests it, instead of once per literal.
 * A literal found where it must be ({@link ValueMatcher.Position}) adds its rules to the
 * candidates.
 *
 * <pre>{@code
 * LiteralSearch s = new LiteralSearch(List.of("chattr", "/tmp/"), List.of(EXACT, CONTAINS), ruleBits, new int[] {0, 1});
 * s.search("chattr +i /tmp/x", candidates);     // admits the rules of /tmp/ only
 * }</pre>
 */
final class LiteralSearch {

    /** Character class of each ASCII char; 0 for a char no literal holds. */
    private final int[] asciiClass = new int[128];
    /** The non-ASCII chars the literals hold, sorted, and their classes. */
    private final char[] otherChars;
    private final int[] otherClasses;
    private final int classes;
    /** The next state from state {@code s} on class {@code c}: {@code next[s * classes + c]}. */
    private final int[] next;
    /** The literals that end at each state (its own and those of its suffixes), or {@code null}. */
    private final int[][] ends;
    private final int[] lengths;
    private final ValueMatcher.Position[] positions;
    /** Per literal, the rules it admits, as bit words ({@code null}: it only counts as found). */
    private final long[][] rules;
    /** Per literal, its number among the literals of all fields ({@link Scan}'s found bits). */
    private final int[] numbers;

    /**
     * @param literals  lower-case literals (not empty)
     * @param positions where each literal must sit in the text
     * @param rules     per literal, the rule indexes it admits, as bit words
     * @param numbers   per literal, its number in the found bits a scan sets
     */
    LiteralSearch(List<String> literals, List<ValueMatcher.Position> positions, List<long[]> rules, int[] numbers) {
        this.numbers = numbers.clone();
        TreeSet<Character> alphabet = new TreeSet<>();
        for (String l : literals) {
            for (int i = 0; i < l.length(); i++) {
                alphabet.add(l.charAt(i));
            }
        }
        int cls = 1;
        List<Character> others = new ArrayList<>();
        for (char c : alphabet) {
            if (c < 128) {
                asciiClass[c] = cls++;
                if (c >= 'a' && c <= 'z') {
                    asciiClass[c - 'a' + 'A'] = asciiClass[c];     // bytes are searched as written
                }
            } else {
                others.add(c);
            }
        }
        otherChars = new char[others.size()];
        otherClasses = new int[others.size()];
        for (int i = 0; i < others.size(); i++) {
            otherChars[i] = others.get(i);
            otherClasses[i] = cls++;
        }
        classes = cls;
        // the trie, then failure links breadth first, folding each state's transitions into the table
        List<int[]> gotos = new ArrayList<>();
        List<List<Integer>> out = new ArrayList<>();
        gotos.add(new int[classes]);
        out.add(new ArrayList<>());
        for (int k = 0; k < literals.size(); k++) {
            String l = literals.get(k);
            int s = 0;
            for (int i = 0; i < l.length(); i++) {
                int c = classOf(l.charAt(i));
                if (gotos.get(s)[c] == 0) {
                    gotos.get(s)[c] = gotos.size();
                    gotos.add(new int[classes]);
                    out.add(new ArrayList<>());
                }
                s = gotos.get(s)[c];
            }
            out.get(s).add(k);
        }
        int states = gotos.size();
        int[] fail = new int[states];
        next = new int[states * classes];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int c = 0; c < classes; c++) {
            int t = gotos.get(0)[c];
            next[c] = t;
            if (t != 0) {
                queue.add(t);
            }
        }
        while (!queue.isEmpty()) {
            int s = queue.poll();
            out.get(s).addAll(out.get(fail[s]));
            for (int c = 0; c < classes; c++) {
                int t = gotos.get(s)[c];
                if (t != 0) {
                    fail[t] = next[fail[s] * classes + c];
                    next[s * classes + c] = t;
                    queue.add(t);
                } else {
                    next[s * classes + c] = next[fail[s] * classes + c];
                }
            }
        }
        ends = new int[states][];
        for (int s = 0; s < states; s++) {
            if (!out.get(s).isEmpty()) {
                ends[s] = out.get(s).stream().mapToInt(Integer::intValue).toArray();
            }
        }
        lengths = literals.stream().mapToInt(String::length).toArray();
        this.positions = positions.toArray(new ValueMatcher.Position[0]);
        this.rules = rules.toArray(new long[0][]);
    }

    private int classOf(char c) {
        if (c < 128) {
            return asciiClass[c];
        }
        int i = Arrays.binarySearch(otherChars, c);
        return i < 0 ? 0 : otherClasses[i];
    }

    /** Adds to {@code candidates} the rules of every literal found in {@code text} where it must be. */
    void search(String text, long[] candidates) {
        Scan scan = scan(candidates, new long[(Arrays.stream(numbers).max().orElse(0) >>> 6) + 1]);
        scan.chars(text);
        scan.end();
    }

    /**
     * A pass that adds the rules of the literals it finds to {@code candidates} and sets their
     * numbers in {@code found}; reusable after {@link Scan#reset}.
     */
    Scan scan(long[] candidates, long[] found) {
        return new Scan(candidates, found);
    }

    /**
     * One pass over a text given in pieces ({@link TextSink}), so that a field's text is searched
     * where it lies, in the record's bytes, without a String made of it. Bytes are ASCII-folded
     * (the literals are lower case); a byte outside ASCII stops the pass ({@link #failed}), and the
     * caller searches the field's lower-cased String instead, which is what the rules compare.
     * Literals found before stay candidates: a candidate too many is only tried.
     */
    final class Scan implements TextSink {
        private final long[] candidates;
        private final long[] found;
        private int state;
        /** Chars (or bytes) read so far. */
        private int at;
        private boolean failed;
        /** The literals that must end the text and ended at {@link #pendingAt}: admitted at {@link #end} if nothing follows. */
        private int[] pending = new int[8];
        private int pendingCount;
        private int pendingAt = -1;

        Scan(long[] candidates, long[] found) {
            this.candidates = candidates;
            this.found = found;
        }

        /** Starts a new text. */
        void reset() {
            state = 0;
            at = 0;
            failed = false;
            pendingCount = 0;
            pendingAt = -1;
        }

        boolean failed() {
            return failed;
        }

        /** Admits the literals that must end the text and do. */
        void end() {
            if (!failed && pendingAt == at) {
                for (int i = 0; i < pendingCount; i++) {
                    admit(pending[i]);
                }
            }
            pendingCount = 0;
        }

        @Override
        public void chars(String s) {
            for (int i = 0, n = s.length(); i < n && !failed; i++) {
                char c = s.charAt(i);
                step(c < 128 ? asciiClass[c] : classOf(c));
            }
        }

        @Override
        public void number(int n) {
            if (n >= 10) {
                number(n / 10);
            }
            step(asciiClass['0' + n % 10]);
        }

        @Override
        public void bytes(byte[] b, int from, int to) {
            for (int i = from; i < to; i++) {
                int c = b[i];
                if (c < 0) {
                    failed = true;
                    return;
                }
                step(asciiClass[c]);
            }
        }

        private void step(int cls) {
            state = next[state * classes + cls];
            at++;
            int[] found = ends[state];
            if (found != null) {
                for (int k : found) {
                    switch (positions[k]) {
                        case CONTAINS, ANY -> admit(k);
                        case PREFIX -> {
                            if (at == lengths[k]) {
                                admit(k);
                            }
                        }
                        case SUFFIX -> pend(k);
                        case EXACT -> {
                            if (at == lengths[k]) {
                                pend(k);
                            }
                        }
                    }
                }
            }
        }

        private void pend(int k) {
            if (pendingAt != at) {
                pendingAt = at;
                pendingCount = 0;
            }
            if (pendingCount == pending.length) {
                pending = Arrays.copyOf(pending, 2 * pendingCount);
            }
            pending[pendingCount++] = k;
        }

        private void admit(int k) {
            int n = numbers[k];
            found[n >>> 6] |= 1L << n;
            long[] r = rules[k];
            for (int w = 0; r != null && w < r.length; w++) {
                candidates[w] |= r[w];
            }
        }
    }
}
