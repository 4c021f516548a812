package dev.laurel.plugins.sigma;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One compiled Sigma value: a test of a field's text. Plain values and the
 * {@code contains}/{@code startswith}/{@code endswith} modifiers become literal comparisons
 * ({@link Literal}); only values with a wildcard inside need {@link Glob}, and only {@code re}
 * values a regular expression.
 */
interface ValueMatcher {

    /**
     * Whether the field's text matches; {@code value} is {@code null} when the field is absent,
     * {@code lower} is its lower-case form.
     */
    boolean matches(String value, String lower, FieldSource source);

    /**
     * Literals one of which the field's lower-cased text must hold for this to match, or
     * {@code null} if it can match without one (see {@link Detection#required}).
     */
    default List<Detection.Required> required(String field) {
        return null;
    }

    /** Whether a cased literal can be looked for in the lower-cased text: ASCII lower-cases alone. */
    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** How a literal sits in the field. */
    enum Position { EXACT, PREFIX, SUFFIX, CONTAINS, ANY }

    /** A wildcard-free value, compared case-insensitively unless {@code cased}. */
    record Literal(String text, Position position, boolean cased) implements ValueMatcher {
        @Override
        public boolean matches(String value, String lower, FieldSource source) {
            if (value == null) {
                return false;
            }
            String v = cased ? value : lower;
            return switch (position) {
                case EXACT -> v.equals(text);
                case PREFIX -> v.startsWith(text);
                case SUFFIX -> v.endsWith(text);
                case CONTAINS -> v.contains(text);
                case ANY -> true;
            };
        }

        @Override
        public List<Detection.Required> required(String field) {
            if (position == Position.ANY || text.isEmpty() || cased && !ascii(text)) {
                return null;
            }
            return List.of(new Detection.Required(field, cased ? text.toLowerCase(Locale.ROOT) : text, position));
        }
    }

    /**
     * A value with {@code ?} or an inner {@code *}: matched by backtracking over the text, with
     * {@link SigmaString#STAR} and {@link SigmaString#ONE} as the wildcards.
     */
    record Glob(String pattern, boolean cased) implements ValueMatcher {
        @Override
        public boolean matches(String value, String lower, FieldSource source) {
            return value != null && glob(pattern, cased ? value : lower);
        }

        /** The longest wildcard-free run of the pattern, at the start or end if it is there. */
        @Override
        public List<Detection.Required> required(String field) {
            int bestFrom = 0;
            int bestTo = 0;
            int from = 0;
            for (int i = 0; i <= pattern.length(); i++) {
                if (i == pattern.length() || pattern.charAt(i) == SigmaString.STAR || pattern.charAt(i) == SigmaString.ONE) {
                    if (i - from > bestTo - bestFrom) {
                        bestFrom = from;
                        bestTo = i;
                    }
                    from = i + 1;
                }
            }
            String run = pattern.substring(bestFrom, bestTo);
            if (run.isEmpty() || cased && !ascii(run)) {
                return null;
            }
            Position p = bestFrom == 0 ? Position.PREFIX : bestTo == pattern.length() ? Position.SUFFIX : Position.CONTAINS;
            return List.of(new Detection.Required(field, cased ? run.toLowerCase(Locale.ROOT) : run, p));
        }

        static boolean glob(String p, String s) {
            int pi = 0;
            int si = 0;
            int star = -1;
            int mark = 0;
            while (si < s.length()) {
                if (pi < p.length() && (p.charAt(pi) == SigmaString.ONE || p.charAt(pi) == s.charAt(si))) {
                    pi++;
                    si++;
                } else if (pi < p.length() && p.charAt(pi) == SigmaString.STAR) {
                    star = pi++;
                    mark = si;
                } else if (star >= 0) {
                    pi = star + 1;
                    si = ++mark;
                } else {
                    return false;
                }
            }
            while (pi < p.length() && p.charAt(pi) == SigmaString.STAR) {
                pi++;
            }
            return pi == p.length();
        }
    }

    /** A {@code re} value: found anywhere in the field, case-sensitive unless {@code re|i}. */
    record Regex(Pattern pattern) implements ValueMatcher {
        @Override
        public boolean matches(String value, String lower, FieldSource source) {
            return value != null && pattern.matcher(value).find();
        }

        /** The literals of {@link RegexLiterals}, lower-cased. */
        @Override
        public List<Detection.Required> required(String field) {
            List<String> literals = RegexLiterals.of(pattern.pattern());
            if (literals == null) {
                return null;
            }
            List<Detection.Required> out = new ArrayList<>();
            for (String l : literals) {
                if (!ascii(l)) {
                    return null;
                }
                out.add(new Detection.Required(field, l.toLowerCase(Locale.ROOT), Position.CONTAINS));
            }
            return out;
        }
    }

    /** {@code null} in a rule: the field is absent or empty. */
    record Null() implements ValueMatcher {
        @Override
        public boolean matches(String value, String lower, FieldSource source) {
            return value == null || value.isEmpty();
        }
    }

    /** {@code lt}, {@code lte}, {@code gt}, {@code gte}: the field read as a number. */
    record Compare(String op, double bound) implements ValueMatcher {
        @Override
        public boolean matches(String value, String lower, FieldSource source) {
            if (value == null) {
                return false;
            }
            double v;
            try {
                v = Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                return false;
            }
            return switch (op) {
                case "lt" -> v < bound;
                case "lte" -> v <= bound;
                case "gt" -> v > bound;
                default -> v >= bound;
            };
        }
    }

    /** {@code fieldref}: the field equals (or starts, ends with, contains) another field of the event. */
    record FieldRef(String other, Position position, boolean cased) implements ValueMatcher {
        @Override
        public boolean matches(String value, String lower, FieldSource source) {
            String o = cased ? source.get(other) : source.lower(other);
            if (value == null || o == null) {
                return false;
            }
            return new Literal(o, position, cased).matches(value, lower, source);
        }
    }

    /** {@code cidr}: the field is an IP address inside the network. */
    record Cidr(byte[] network, int prefix) implements ValueMatcher {
        /** The network {@code a.b.c.d/n} or {@code x:y::/n}; throws if it is not one. */
        static Cidr parse(String cidr) {
            int slash = cidr.indexOf('/');
            String addr = slash < 0 ? cidr : cidr.substring(0, slash);
            byte[] net = address(addr);
            if (net == null) {
                throw new IllegalArgumentException("is not an IPv4 or IPv6 network such as 10.0.0.0/8");
            }
            int prefix = net.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(cidr.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > net.length * 8) {
                    throw new IllegalArgumentException("has a prefix length outside 0.." + net.length * 8);
                }
            }
            return new Cidr(net, prefix);
        }

        /** The bytes of an IP address literal, or {@code null}: never a name lookup. */
        static byte[] address(String s) {
            if (s.isEmpty() || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
                return null;
            }
            if (s.indexOf(':') < 0 && s.chars().filter(c -> c == '.').count() != 3) {
                return null;
            }
            try {
                return InetAddress.getByName(s).getAddress();   // a literal: no lookup
            } catch (UnknownHostException e) {
                return null;
            }
        }

        @Override
        public boolean matches(String value, String lower, FieldSource source) {
            byte[] a = value == null ? null : address(value);
            if (a == null || a.length != network.length) {
                return false;
            }
            BigInteger mask = BigInteger.ONE.shiftLeft(prefix).subtract(BigInteger.ONE)
                    .shiftLeft(network.length * 8 - prefix);
            return new BigInteger(1, a).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }
}
