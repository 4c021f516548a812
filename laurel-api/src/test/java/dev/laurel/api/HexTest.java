package dev.laurel.api;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class HexTest {

    @Test
    void decodesAnyBytesWrittenInEitherCaseAndRefusesAnyOtherDigit() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int round = 0; round < 2000; round++) {
            byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            String hex = random.nextBoolean() ? HexFormat.of().formatHex(bytes) : HexFormat.of().withUpperCase().formatHex(bytes);
            byte[] text = ("x" + hex + "y").getBytes(StandardCharsets.ISO_8859_1);
            assertThat(Hex.decode(text, 1, hex.length())).as("seed %d: %s", seed, hex).isEqualTo(bytes);
            if (!hex.isEmpty()) {
                // any byte that is not a hex digit, anywhere, makes it malformed
                int at = 1 + random.nextInt(hex.length());
                byte bad;
                do {
                    bad = (byte) random.nextInt(256);
                } while (HexFormat.isHexDigit(bad & 0xff));
                text[at] = bad;
                assertThat(Hex.decode(text, 1, hex.length())).as("seed %d: %s with %d at %d", seed, hex, bad, at).isNull();
            }
        }
        assertThat(Hex.decode("abc".getBytes(StandardCharsets.ISO_8859_1), 0, 3)).isNull();
    }
}
