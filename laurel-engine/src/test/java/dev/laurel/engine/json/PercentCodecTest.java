package dev.laurel.engine.json;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

class PercentCodecTest {

    private static String enc(String hex) {
        return new String(PercentCodec.encode(HexFormat.of().parseHex(hex)), StandardCharsets.UTF_8);
    }

    private static String enc(byte[] b) {
        return new String(PercentCodec.encode(b), StandardCharsets.UTF_8);
    }

    @Test
    void escapesPlusPercentAndControlBytesInLowerCaseHex() {
        assertThat(enc("g++".getBytes(StandardCharsets.US_ASCII))).isEqualTo("g%2b%2b");
        assertThat(enc("/bin/a%b+c".getBytes(StandardCharsets.US_ASCII))).isEqualTo("/bin/a%25b%2bc");
        assertThat(enc("2F746D702F610A62")).isEqualTo("/tmp/a%0ab");
        assertThat(enc("00011f7f")).isEqualTo("%00%01%1f%7f");
    }

    @Test
    void keepsPrintableAsciiAndQuotesForTheJsonWriter() {
        String printable = " !\"#$&'()*,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
                + "abcdefghijklmnopqrstuvwxyz{|}~";
        assertThat(enc(printable.getBytes(StandardCharsets.US_ASCII))).isEqualTo(printable);
    }

    @Test
    void keepsWellFormedUtf8IncludingC1AndLineSeparators() {
        // As LAUREL 0.5.1 does: é, €, an emoji, U+FFFD, NBSP, U+0085, U+2028 and a BOM pass as they are.
        for (String hex : new String[]{"c3a9", "e282ac", "f09f9880", "efbfbd", "c2a0", "c285", "e280a8", "efbbbf", "f48fbfbf"}) {
            byte[] b = HexFormat.of().parseHex(hex);
            assertThat(PercentCodec.encode(b)).as(hex).isEqualTo(b);
        }
    }

    @Test
    void escapesEveryByteOfMalformedUtf8() {
        // The cases checked against LAUREL 0.5.1: overlong, surrogate, stray, truncated, > U+10FFFF.
        assertThat(enc("c0af")).isEqualTo("%c0%af");
        assertThat(enc("eda080")).isEqualTo("%ed%a0%80");
        assertThat(enc("ff")).isEqualTo("%ff");
        assertThat(enc("80")).isEqualTo("%80");
        assertThat(enc("c3")).isEqualTo("%c3");
        assertThat(enc("e282")).isEqualTo("%e2%82");
        assertThat(enc("f4908080")).isEqualTo("%f4%90%80%80");
        assertThat(enc("e08080")).isEqualTo("%e0%80%80");
        assertThat(enc("e28241")).isEqualTo("%e2%82A");
        assertThat(enc("c3c3a9")).isEqualTo("%c3é");
    }

    @Test
    void reusesItsBufferAcrossCalls() {
        PercentCodec codec = new PercentCodec();
        int n = codec.encode("a+".getBytes(StandardCharsets.US_ASCII), 0, 2);
        byte[] first = codec.buffer();
        assertThat(new String(first, 0, n, StandardCharsets.US_ASCII)).isEqualTo("a%2b");
        int m = codec.encode("xyz".getBytes(StandardCharsets.US_ASCII), 1, 2);
        assertThat(codec.buffer()).isSameAs(first);
        assertThat(new String(codec.buffer(), 0, m, StandardCharsets.US_ASCII)).isEqualTo("yz");
    }

    @Test
    void decodeKeepsAPercentThatIsNotAnEscape() {
        assertThat(PercentCodec.decode("100%".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("100%".getBytes(StandardCharsets.US_ASCII));
        assertThat(PercentCodec.decode("%zz%4".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("%zz%4".getBytes(StandardCharsets.US_ASCII));
        assertThat(PercentCodec.decode("%2B%2b".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("++".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void decodeUndoesEncodeForRandomBytes() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < 20_000; round++) {
            byte[] input = randomBytes(random);
            byte[] encoded = PercentCodec.encode(input);
            if (!Arrays.equals(PercentCodec.decode(encoded), input)) {
                fail("seed " + seed + ", round " + round + ": round trip lost " + HexFormat.of().formatHex(input));
            }
            if (!isCleanUtf8(encoded)) {
                fail("seed " + seed + ", round " + round + ": not clean UTF-8 for " + HexFormat.of().formatHex(input));
            }
        }
    }

    /** Mostly text-like bytes with UTF-8 pieces and garbage, so both paths are exercised. */
    static byte[] randomBytes(Random random) {
        int len = random.nextInt(40);
        byte[] out = new byte[len * 4];
        int n = 0;
        for (int i = 0; i < len; i++) {
            switch (random.nextInt(5)) {
                case 0 -> out[n++] = (byte) random.nextInt(256);
                case 1 -> out[n++] = (byte) (0x20 + random.nextInt(0x5f));
                case 2 -> out[n++] = (byte) "%+\n\0\u007f".charAt(random.nextInt(5));
                default -> {
                    int codePoint = random.nextBoolean() ? random.nextInt(0x800) : random.nextInt(0x10ffff + 1);
                    byte[] cp = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
                    int take = random.nextInt(8) == 0 ? random.nextInt(cp.length + 1) : cp.length;
                    System.arraycopy(cp, 0, out, n, take);
                    n += take;
                }
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Valid UTF-8 without control bytes, and every '%' starting an escape. */
    static boolean isCleanUtf8(byte[] b) {
        for (int i = 0; i < b.length; ) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                if (c < 0x20 || c == 0x7f || c == '+') {
                    return false;
                }
                if (c == '%' && (i + 2 >= b.length || !isHex(b[i + 1]) || !isHex(b[i + 2]))) {
                    return false;
                }
                i++;
            } else {
                int n = PercentCodec.validSequenceLength(b, i, b.length);
                if (n == 0) {
                    return false;
                }
                i += n;
            }
        }
        return true;
    }

    private static boolean isHex(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f');
    }

    @Test
    void jsonFormIsThePercentFormWithQuotesAndBackslashesEscapedForJson() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        PercentCodec codec = new PercentCodec();
        com.fasterxml.jackson.core.io.JsonStringEncoder json = com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance();
        for (int c = 0; c < 2000; c++) {
            byte[] src = new byte[random.nextInt(40)];
            for (int i = 0; i < src.length; i++) {
                // mostly the interesting bytes: quotes, backslashes, %, +, controls, UTF-8 lead bytes
                byte[] pick = {'"', '\\', '%', '+', '\n', 'a', (byte) 0xc3, (byte) 0xa9, (byte) 0xff, (byte) 0xe2};
                src[i] = random.nextBoolean() ? pick[random.nextInt(pick.length)] : (byte) random.nextInt(256);
            }
            int n = codec.encodeJson(src, 0, src.length);
            byte[] got = Arrays.copyOf(codec.buffer(), n);
            byte[] want = json.quoteAsUTF8(new String(PercentCodec.encode(src), StandardCharsets.UTF_8));
            if (!Arrays.equals(got, want)) {
                fail("seed " + seed + ": " + HexFormat.of().formatHex(src) + " gave "
                        + new String(got, StandardCharsets.UTF_8) + ", want " + new String(want, StandardCharsets.UTF_8));
            }
        }
        int n = codec.encodeJson("a\"b\\c+".getBytes(StandardCharsets.US_ASCII), 0, 6);
        assertThat(new String(codec.buffer(), 0, n, StandardCharsets.US_ASCII)).isEqualTo("a\\\"b\\\\c%2b");
    }
}
