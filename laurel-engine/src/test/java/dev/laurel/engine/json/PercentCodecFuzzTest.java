package dev.laurel.engine.json;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class PercentCodecFuzzTest {

    @FuzzTest
    void roundTrips(byte[] input) {
        byte[] encoded = PercentCodec.encode(input);
        assertThat(PercentCodecTest.isCleanUtf8(encoded))
                .as("clean UTF-8 for %s", HexFormat.of().formatHex(input)).isTrue();
        assertThat(Arrays.equals(PercentCodec.decode(encoded), input))
                .as("round trip of %s", HexFormat.of().formatHex(input)).isTrue();
        // decode must also accept what was never encoded
        PercentCodec.decode(input);
    }
}
