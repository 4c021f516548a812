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

    /** {@code a and b and ...}. */
    record And(List<Detection> parts) implements Detection {
        @Override
        public boolean matches(FieldSource source) {
            for (Detection d : parts) {
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
    }

    /** {@code a or b or ...}. */
    record Or(List<Detection> parts) implements Detection {
        @Override
        public boolean matches(FieldSource source) {
            for (Detection d : parts) {
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
    }

    /** A search identifier: maps joined by OR, each map's field tests by AND. */
    record Selection(String name, List<List<FieldTest>> maps) implements Detection {
        @Override
        public boolean matches(FieldSource source) {
            for (List<FieldTest> map : maps) {
                boolean all = true;
                for (int i = 0, n = map.size(); i < n && all; i++) {
                    all = map.get(i).matches(source);
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
                lower = value == null ? null : source.lower(field);
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
    }
}
