package dev.laurel.plugins.sigma;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A rule's compiled condition: selections joined by {@code and}, {@code or}, {@code not}. */
interface Detection {

    /** Whether the source's fields satisfy this part of the condition. */
    boolean matches(FieldSource source);

    /**
     * The auditd record types this part can match (from a selection's plain {@code type:}
     * values), or {@code null} for any: what the enricher indexes a rule by, so that a rule for
     * EXECVE records is never tried on another record.
     */
    Set<String> recordTypes();

    /**
     * What the source's lower-cased fields must hold for this part to match, as clauses that
     * must all hold, each one literal of which must be found where it says: {@code [[SYSCALL
     * execve, SYSCALL execveat], [euid 33]]}. No clauses: it can match without any literal (a
     * {@code not}, a regular expression, a test of {@code type}, which the enricher indexes by
     * already); an empty clause: it cannot match a record of the type. The enricher searches
     * each field once for the literals of all its rules ({@link RuleIndex}) and tries only the
     * rules whose clauses all hold: most records match no rule, and a rule for {@code chattr}
     * is not tried on {@code ls}.
     *
     * @param recordType the auditd record type the source is ({@code null}: any): a selection
     *                   whose {@code type:} excludes it cannot match
     */
    List<List<Required>> required(String recordType);

    /**
     * A literal a field's lower-cased text must hold at a position; {@code field} {@code null}
     * for the keyword text of a record.
     */
    record Required(String field, String literal, ValueMatcher.Position position) {
    }

    /** The clauses of a part that cannot match. */
    List<List<Required>> NEVER = List.of(List.of());

    /**
     * Of two clauses that both hold, the one that filters best: the empty one (nothing can
     * match), then the longer shortest literal, then fewer literals.
     */
    static List<Required> better(List<Required> a, List<Required> b) {
        if (a == null || b != null && b.isEmpty()) {
            return b;
        }
        if (b == null || a.isEmpty()) {
            return a;
        }
        int la = shortest(a);
        int lb = shortest(b);
        return la != lb ? (la > lb ? a : b) : (a.size() <= b.size() ? a : b);
    }

    private static int shortest(List<Required> r) {
        int min = Integer.MAX_VALUE;
        for (Required q : r) {
            min = Math.min(min, q.literal().length());
        }
        return min;
    }

    /** The best clause of each alternative, as one clause; no clauses if an alternative has none. */
    static List<List<Required>> anyOf(List<List<List<Required>>> alternatives) {
        if (alternatives.size() == 1) {
            return alternatives.get(0);
        }
        List<Required> union = new java.util.ArrayList<>();
        for (List<List<Required>> clauses : alternatives) {
            if (clauses.isEmpty()) {
                return List.of();
            }
            List<Required> best = null;
            for (List<Required> c : clauses) {
                best = better(best, c);
            }
            union.addAll(best);
        }
        return List.of(union);
    }

    /** Every part's clauses. */
    static List<List<Required>> allOf(List<List<List<Required>>> parts) {
        List<List<Required>> all = new java.util.ArrayList<>();
        for (List<List<Required>> clauses : parts) {
            all.addAll(clauses);
        }
        return all;
    }

    /** {@code a and b and ...}. */
    record And(List<Detection> parts, Detection[] array) implements Detection {
        And(List<Detection> parts) {
            this(parts, parts.toArray(new Detection[0]));
        }

        @Override
        public boolean matches(FieldSource source) {
            for (Detection d : array) {
                if (!d.matches(source)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public Set<String> recordTypes() {
            Set<String> types = null;
            for (Detection d : parts) {
                Set<String> t = d.recordTypes();
                if (t != null) {
                    if (types == null) {
                        types = new HashSet<>(t);
                    } else {
                        types.retainAll(t);
                    }
                }
            }
            return types;
        }

        @Override
        public List<List<Required>> required(String recordType) {
            return allOf(parts.stream().map(d -> d.required(recordType)).toList());
        }
    }

    /** {@code a or b or ...}. */
    record Or(List<Detection> parts, Detection[] array) implements Detection {
        Or(List<Detection> parts) {
            this(parts, parts.toArray(new Detection[0]));
        }

        @Override
        public boolean matches(FieldSource source) {
            for (Detection d : array) {
                if (d.matches(source)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Set<String> recordTypes() {
            Set<String> types = new HashSet<>();
            for (Detection d : parts) {
                Set<String> t = d.recordTypes();
                if (t == null) {
                    return null;
                }
                types.addAll(t);
            }
            return types;
        }

        @Override
        public List<List<Required>> required(String recordType) {
            return anyOf(parts.stream().map(d -> d.required(recordType)).toList());
        }
    }

    /** {@code not a}. */
    record Not(Detection part) implements Detection {
        @Override
        public boolean matches(FieldSource source) {
            return !part.matches(source);
        }

        @Override
        public Set<String> recordTypes() {
            return null;
        }

        @Override
        public List<List<Required>> required(String recordType) {
            return List.of();
        }
    }

    /** A search identifier: maps joined by OR, each map's field tests by AND. */
    record Selection(String name, List<List<FieldTest>> maps, FieldTest[][] tests) implements Detection {
        Selection(String name, List<List<FieldTest>> maps) {
            this(name, maps, maps.stream().map(m -> m.toArray(new FieldTest[0])).toArray(FieldTest[][]::new));
        }

        @Override
        public boolean matches(FieldSource source) {
            // arrays, not lists: this runs for every record and rule, under C1
            for (FieldTest[] map : tests) {
                boolean all = true;
                for (int i = 0; i < map.length && all; i++) {
                    all = map[i].matches(source);
                }
                if (all) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Set<String> recordTypes() {
            Set<String> types = new HashSet<>();
            for (List<FieldTest> map : maps) {
                Set<String> t = null;
                for (FieldTest f : map) {
                    if (f.recordTypes() != null) {
                        t = f.recordTypes();
                    }
                }
                if (t == null) {
                    return null;
                }
                types.addAll(t);
            }
            return types;
        }

        @Override
        public List<List<Required>> required(String recordType) {
            List<List<List<Required>>> alternatives = new java.util.ArrayList<>();
            for (FieldTest[] map : tests) {
                List<List<Required>> clauses = new java.util.ArrayList<>();
                for (FieldTest t : map) {
                    if (recordType != null && t.recordTypes() != null && !t.recordTypes().contains(recordType)) {
                        clauses = null;         // this map cannot match a record of the type
                        break;
                    }
                    clauses.addAll(t.required());
                }
                if (clauses != null) {
                    alternatives.add(clauses);
                }
            }
            return alternatives.isEmpty() ? NEVER : anyOf(alternatives);
        }
    }

    /**
     * One {@code field|modifiers: values} of a map, or a keyword search ({@code field} null).
     * {@code values[i]} are the forms value {@code i} of the rule took (windash, base64offset);
     * a value matches if one of its forms does. Without {@code all} one value must match, with it
     * every value; {@code neq} inverts the test; {@code exists} tests presence only.
     */
    record FieldTest(String field, ValueMatcher[][] values, boolean all, boolean neq, Boolean exists,
                     Set<String> recordTypes) {

        boolean matches(FieldSource source) {
            String value;
            String lower;
            if (field == null) {
                value = source.keywordText();
                lower = source.keywordLower();
            } else {
                value = source.get(field);
                if (exists != null) {
                    return (value != null) == exists;
                }
                // a regular expression, a number, an address compare the text as it is: no lower-cased copy
                lower = value == null || !needsLower() ? null : source.lower(field);
            }
            boolean result = all;
            for (ValueMatcher[] forms : values) {
                boolean any = false;
                for (int i = 0; i < forms.length && !any; i++) {
                    any = forms[i].matches(value, lower, source);
                }
                if (any != all) {
                    result = any;
                    break;
                }
            }
            return neq != result;
        }

        private boolean needsLower() {
            for (ValueMatcher[] forms : values) {
                for (ValueMatcher m : forms) {
                    if (m instanceof ValueMatcher.Literal || m instanceof ValueMatcher.Glob
                            || m instanceof ValueMatcher.FieldRef) {
                        return true;
                    }
                }
            }
            return false;
        }

        /**
         * See {@link Detection#required}: a clause of the literals of all values, or with
         * {@code all} one per value; none if a value (without {@code all}) can match without a literal.
         */
        List<List<Required>> required() {
            if (neq || exists != null || "type".equals(field)) {
                return List.of();
            }
            List<List<Required>> clauses = new java.util.ArrayList<>();
            List<Required> any = new java.util.ArrayList<>();
            for (ValueMatcher[] forms : values) {
                List<Required> value = new java.util.ArrayList<>(forms.length);
                for (ValueMatcher m : forms) {
                    List<Required> r = m.required(field);
                    if (r == null) {
                        value = null;
                        break;
                    }
                    value.addAll(r);
                }
                if (all) {
                    if (value != null && !value.isEmpty()) {
                        clauses.add(value);
                    }
                } else if (value == null) {
                    return List.of();
                } else {
                    any.addAll(value);
                }
            }
            if (!all && !any.isEmpty()) {
                clauses.add(any);
            }
            return clauses;
        }
    }
}
