package dev.laurel.plugins.sigma;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of one log source (or auditd record type), found by the literals their conditions
 * require ({@link Detection#required}): each field any of them needs is searched once, for all
 * their literals at once ({@link LiteralSearch}), and only the rules whose clauses all hold,
 * with the rules that require nothing, are tried. Most records match no rule and hold none of
 * the literals: a record then costs one pass over a few fields, not one test per rule.
 */
final class RuleIndex {

    private static final String KEYWORDS = "\u0000keywords";

    /** The fields searched ({@code null} for the keyword text), and each one's search. */
    private final String[] fields;
    private final LiteralSearch.Scan[] scans;
    private final long[] candidates;
    /** The rules that require nothing, as bit words: always tried. */
    private final long[] always;
    /** The literals found in the source, by their number in this index. */
    private final long[] found;
    /** Per rule (by index in the rule set), its clauses as literal numbers; {@code null} if it requires nothing. */
    private final int[][][] clauses;
    /** Per literal number, the field it is searched in. */
    private final int[] fieldOf;
    /**
     * Whether a field holds a literal that makes a rule a candidate; the others (the further
     * clauses of rules, such as {@code euid: 33} after {@code SYSCALL: execve}) are searched
     * only when such a rule is a candidate, once per source.
     */
    private final boolean[] triggers;
    private final boolean[] searched;
    private FieldSource source;
    private final boolean empty;

    /**
     * @param indexes    the rules of this source, by their index in {@code rules}
     * @param recordType the auditd record type of the sources ({@code null}: any, or a category)
     * @param candidates where {@link #candidates} puts the rules that can match, as bit words
     *                   (at least {@code (rules.size() + 63) / 64} of them)
     */
    RuleIndex(List<Integer> indexes, List<SigmaRule> rules, String recordType, long[] candidates) {
        int words = candidates.length;
        this.candidates = candidates;
        always = new long[words];
        clauses = new int[rules.size()][][];
        Map<String, List<Detection.Required>> byField = new LinkedHashMap<>();
        Map<String, List<Integer>> numbersByField = new LinkedHashMap<>();
        Map<String, List<long[]>> rulesByField = new LinkedHashMap<>();
        int literals = 0;
        for (int i : indexes) {
            List<List<Detection.Required>> required = rules.get(i).detection().required(recordType);
            if (required.isEmpty()) {
                always[i >>> 6] |= 1L << i;
                continue;
            }
            long[] bit = new long[words];
            bit[i >>> 6] |= 1L << i;
            // the literals of the clause that filters best make the rule a candidate; the others are only checked
            List<Detection.Required> trigger = null;
            for (List<Detection.Required> clause : required) {
                trigger = Detection.better(trigger, clause);
            }
            List<int[]> numbered = new ArrayList<>();
            for (List<Detection.Required> clause : required) {
                List<Integer> numbers = new ArrayList<>();
                for (Detection.Required r : clause) {
                    if (!EventSources.canHave(recordType, r.field())) {
                        continue;       // never found: a1 of a PATH record
                    }
                    String key = r.field() == null ? KEYWORDS : r.field();
                    byField.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
                    numbersByField.computeIfAbsent(key, k -> new ArrayList<>()).add(literals);
                    rulesByField.computeIfAbsent(key, k -> new ArrayList<>()).add(clause == trigger ? bit : null);
                    numbers.add(literals++);
                }
                if (numbers.isEmpty()) {
                    numbered = null;    // a clause that cannot hold: the rule is never tried
                    break;
                }
                numbered.add(numbers.stream().mapToInt(Integer::intValue).toArray());
            }
            clauses[i] = numbered == null ? new int[][] {{}} : numbered.toArray(new int[0][]);
        }
        found = new long[(literals + 63) >>> 6];
        fields = new String[byField.size()];
        scans = new LiteralSearch.Scan[byField.size()];
        triggers = new boolean[byField.size()];
        searched = new boolean[byField.size()];
        fieldOf = new int[literals];
        int f = 0;
        for (Map.Entry<String, List<Detection.Required>> e : byField.entrySet()) {
            fields[f] = e.getKey().equals(KEYWORDS) ? null : e.getKey();
            triggers[f] = rulesByField.get(e.getKey()).stream().anyMatch(java.util.Objects::nonNull);
            for (int n : numbersByField.get(e.getKey())) {
                fieldOf[n] = f;
            }
            scans[f] = new LiteralSearch(e.getValue().stream().map(Detection.Required::literal).toList(),
                    e.getValue().stream().map(Detection.Required::position).toList(), rulesByField.get(e.getKey()),
                    numbersByField.get(e.getKey()).stream().mapToInt(Integer::intValue).toArray())
                    .scan(candidates, found);
            f++;
        }
        empty = fields.length == 0 && alwaysTried() == 0;
    }

    /** Whether no rule can be tried: none at all, or none that a source of the type can match. */
    boolean isEmpty() {
        return empty;
    }

    /** Sets the candidates array to the rules that can match the source's fields. */
    void candidates(FieldSource source) {
        Arrays.fill(candidates, 0);
        Arrays.fill(found, 0);
        this.source = source;
        for (int f = 0; f < fields.length; f++) {
            searched[f] = triggers[f];
            if (triggers[f]) {
                source.search(fields[f], scans[f]);
            }
        }
        // a rule one of whose literals was found: are all its clauses met?
        for (int w = 0; w < candidates.length; w++) {
            for (long bits = candidates[w]; bits != 0; bits &= bits - 1) {
                int i = (w << 6) + Long.numberOfTrailingZeros(bits);
                if (!met(clauses[i])) {
                    candidates[w] &= ~(1L << i);
                }
            }
            candidates[w] |= always[w];
        }
    }

    private boolean met(int[][] ruleClauses) {
        for (int[] clause : ruleClauses) {
            if (!met(clause)) {
                // its fields may not have been searched yet: search them, and look again
                boolean more = false;
                for (int n : clause) {
                    int f = fieldOf[n];
                    if (!searched[f]) {
                        searched[f] = true;
                        source.search(fields[f], scans[f]);
                        more = true;
                    }
                }
                if (!more || !met(clause)) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean met(int[] clause) {
        for (int n : clause) {
            if ((found[n >>> 6] & (1L << n)) != 0) {
                return true;
            }
        }
        return false;
    }

    private int alwaysTried() {
        return Arrays.stream(always).mapToInt(Long::bitCount).sum();
    }
}
