package dev.laurel.plugins.sigma;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.laurel.plugins.sigma.ValueMatcher.Position.CONTAINS;
import static dev.laurel.plugins.sigma.ValueMatcher.Position.EXACT;
import static dev.laurel.plugins.sigma.ValueMatcher.Position.PREFIX;
import static dev.laurel.plugins.sigma.ValueMatcher.Position.SUFFIX;
import static org.assertj.core.api.Assertions.assertThat;

/** One pass over a text finds every literal where it must be, as String's methods would. */
class LiteralSearchTest {

    private static final List<String> LITERALS = List.of("chattr", "/tmp/", "tmp", "a", "ab", "bab", "/bin/sh", "é");
    private static final List<ValueMatcher.Position> POSITIONS =
            List.of(EXACT, CONTAINS, PREFIX, SUFFIX, CONTAINS, EXACT, SUFFIX, CONTAINS);

    /** Literal i admits rule i. */
    private static LiteralSearch search() {
        List<long[]> rules = new ArrayList<>();
        int[] numbers = new int[LITERALS.size()];
        for (int i = 0; i < LITERALS.size(); i++) {
            rules.add(new long[] {1L << i});
            numbers[i] = i;
        }
        return new LiteralSearch(LITERALS, POSITIONS, rules, numbers);
    }

    private static long expected(String lower) {
        long bits = 0;
        for (int i = 0; i < LITERALS.size(); i++) {
            String l = LITERALS.get(i);
            boolean hit = switch (POSITIONS.get(i)) {
                case EXACT -> lower.equals(l);
                case PREFIX -> lower.startsWith(l);
                case SUFFIX -> lower.endsWith(l);
                default -> lower.contains(l);
            };
            bits |= hit ? 1L << i : 0;
        }
        return bits;
    }

    @Test
    void findsEachLiteralOnlyWhereItMustBe() {
        long[] c = new long[1];
        search().search("chattr", c);
        assertThat(c[0]).isEqualTo(1L);                           // chattr exact; a must end the text
        c[0] = 0;
        search().search("x /tmp/ /bin/sh", c);
        assertThat(c[0]).isEqualTo(1L << 1 | 1L << 6);            // tmp is not at the start
        c[0] = 0;
        search().search("bab", c);
        assertThat(c[0]).isEqualTo(1L << 4 | 1L << 5);            // ab inside bab, bab exact
    }

    /** Scans the text's UTF-8 bytes into {@code c}; whether the scan failed. */
    private static boolean scanBytes(String text, long[] c) {
        LiteralSearch.Scan scan = search().scan(c, new long[1]);
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        scan.bytes(b, 0, b.length);
        scan.end();
        return scan.failed();
    }

    @Test
    void bytesWrittenInUpperCaseAreFoundAsTheLowerCaseTextWouldBe() {
        long[] c = new long[1];
        assertThat(scanBytes("X /TMP/ /Bin/SH", c)).isFalse();
        assertThat(c[0]).isEqualTo(expected("x /tmp/ /bin/sh"));
    }

    @Test
    void aByteOutsideAsciiStopsTheScanForTheStringToBeSearched() {
        long[] c = new long[1];
        assertThat(scanBytes("caf\u00e9", c)).isTrue();
        c[0] = 0;
        search().search("caf\u00e9", c);
        assertThat(c[0]).isEqualTo(expected("caf\u00e9"));
    }

    @Test
    void agreesWithStringMethodsOnRandomTextsInPieces() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        String alphabet = "abhmst/ inrcAB";
        for (int n = 0; n < 5000; n++) {
            StringBuilder sb = new StringBuilder();
            for (int i = r.nextInt(12); i > 0; i--) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String text = sb.toString();
            long[] c = new long[1];
            LiteralSearch.Scan scan = search().scan(c, new long[1]);
            int cut = text.isEmpty() ? 0 : r.nextInt(text.length());
            byte[] b = text.getBytes(StandardCharsets.US_ASCII);
            scan.bytes(b, 0, cut);          // two pieces, as a field's text is written
            scan.chars(text.substring(cut).toLowerCase());
            scan.end();
            assertThat(c[0]).as("seed " + seed + ", text '" + text + "'").isEqualTo(expected(text.toLowerCase()));
        }
    }
}
