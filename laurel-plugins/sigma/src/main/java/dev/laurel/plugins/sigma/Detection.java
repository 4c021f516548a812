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
     * The keys one of which {@code field} must have for this part to match, or {@code null} if it
     * can match without: the lower-cased values of plain tests on the field, or with
     * {@code basename}, the last path segment a {@code field|endswith: '/name'} test requires.
     * The enricher indexes rules by them (an EXECVE record's {@code a0}, a process's
     * {@code Image}), so that a rule for {@code chattr} is not tried on {@code ls}.
     */
    Set<String> keys(String field, boolean basename);

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
        public Set<String> keys(String field, boolean basename) {
            Set<String> keys = null;
            for (Detection d : parts) {
                Set<String> k = d.keys(field, basename);
                if (k != null) {
                    if (keys == null) {
                        keys = new HashSet<>(k);
                    } else {
                        keys.retainAll(k);
                    }
                }
            }
            return keys;
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
        public Set<String> keys(String field, boolean basename) {
            Set<String> keys = new HashSet<>();
            for (Detection d : parts) {
                Set<String> k = d.keys(field, basename);
                if (k == null) {
                    return null;
                }
                keys.addAll(k);
            }
            return keys;
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
        public Set<String> keys(String field, boolean basename) {
            return null;
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
        public Set<String> keys(String field, boolean basename) {
            Set<String> keys = new HashSet<>();
            for (List<FieldTest> map : maps) {
                Set<String> k = null;
                for (int i = 0; i < map.size() && k == null; i++) {
                    k = map.get(i).keys(field, basename);
                }
                if (k == null) {
                    return null;
                }
                keys.addAll(k);
            }
            return keys;
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

        /** See {@link Detection#keys}: one key per value, or {@code null} if a value has none. */
        Set<String> keys(String name, boolean basename) {
            if (!name.equals(field) || neq || exists != null || (all && values.length > 1)) {
                return null;
            }
            Set<String> keys = new HashSet<>();
            for (ValueMatcher[] forms : values) {
                for (ValueMatcher m : forms) {
                    String key = m instanceof ValueMatcher.Literal l && !l.cased() ? key(l, basename) : null;
                    if (key == null) {
                        return null;
                    }
                    keys.add(key);
                }
            }
            return keys.isEmpty() ? null : keys;
        }

        private static String key(ValueMatcher.Literal l, boolean basename) {
            String t = l.text();
            if (!basename) {
                return l.position() == ValueMatcher.Position.EXACT ? t : null;
            }
            int slash = t.lastIndexOf('/');
            boolean whole = l.position() == ValueMatcher.Position.EXACT
                    || l.position() == ValueMatcher.Position.SUFFIX && slash == 0;
            return whole && slash >= 0 && slash < t.length() - 1 ? t.substring(slash + 1) : null;
        }
    }
}
