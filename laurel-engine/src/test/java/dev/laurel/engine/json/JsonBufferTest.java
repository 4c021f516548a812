package dev.laurel.engine.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class JsonBufferTest {

    private static String text(JsonBuffer json) {
        return new String(json.toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void placesCommasBetweenMembersAndItemsOnly() {
        JsonBuffer json = new JsonBuffer();
        json.startObject();
        json.name(JsonBuffer.key("a"));
        json.startArray();
        json.number(1);
        json.nullValue();
        json.startObject();
        json.endObject();
        json.string("0x1f");
        json.endArray();
        json.name(JsonBuffer.key("b"));
        json.startArray();
        json.endArray();
        json.endObject();
        assertThat(text(json)).isEqualTo("{\"a\":[1,null,{},\"0x1f\"],\"b\":[]}");
    }

    @Test
    void escapesQuotesAndBackslashesInKeysAndEscapedStrings() {
        JsonBuffer json = new JsonBuffer();
        json.startObject();
        json.name(JsonBuffer.key("k\"\\é"));
        byte[] v = "a\"b\\c€".getBytes(StandardCharsets.UTF_8);
        json.escapedString(v, 0, v.length);
        json.endObject();
        assertThat(text(json)).isEqualTo("{\"k\\\"\\\\é\":\"a\\\"b\\\\c€\"}");
    }

    @Test
    void writesEveryLongAsJacksonReadsItBack() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        ObjectMapper mapper = new ObjectMapper();
        JsonBuffer json = new JsonBuffer();
        long[] edges = {0, -1, 1, 9, 10, -10, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1,
                999_999_999, 1_000_000_000, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, -Integer.MAX_VALUE - 1L,
                999_999_999_999_999_999L, 1_000_000_000_000_000_000L, 1_000_000_000_000_000_001L};
        for (int i = 0; i < 2000; i++) {
            long n = i < edges.length ? edges[i] : random.nextLong() >> random.nextInt(64);
            json.reset();
            json.startArray();
            json.number(n);
            json.endArray();
            assertThat(mapper.readTree(json.toByteArray()).get(0).asLong()).as("seed %d, n %d", seed, n).isEqualTo(n);
            assertThat(text(json)).as("seed %d", seed).isEqualTo("[" + n + "]");
        }
    }

    @Test
    void percentStringCopiesPlainPrefixAndEscapesFromFirstSpecialByteAsTheCodecDoes() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        byte[] specials = {'"', '\\', '%', '+', 0, 0x1f, 0x7f, (byte) 0xc3, (byte) 0xa9, (byte) 0xe2, (byte) 0x82,
                (byte) 0xac, (byte) 0xff, (byte) 0x80};
        PercentCodec codec = new PercentCodec();
        JsonBuffer json = new JsonBuffer();
        for (int n = 0; n < 5000; n++) {
            byte[] src = new byte[random.nextInt(40)];
            for (int i = 0; i < src.length; i++) {
                src[i] = random.nextInt(6) == 0 ? specials[random.nextInt(specials.length)]
                        : (byte) (0x20 + random.nextInt(0x5f));
            }
            int off = src.length == 0 ? 0 : random.nextInt(src.length + 1);
            int len = random.nextInt(src.length - off + 1);
            json.reset();
            json.startArray();
            json.percentString(src, off, len);
            json.endArray();
            int m = codec.encodeJson(src, off, len);
            byte[] expected = new byte[m + 4];
            expected[0] = '[';
            expected[1] = '"';
            System.arraycopy(codec.buffer(), 0, expected, 2, m);
            expected[m + 2] = '"';
            expected[m + 3] = ']';
            assertThat(json.toByteArray()).as("seed %d, case %d", seed, n).isEqualTo(expected);
        }
        byte[] mixed = "ab\"c%d\u00e9".getBytes(StandardCharsets.UTF_8);
        json.reset();
        json.percentString(mixed, 0, mixed.length);
        assertThat(text(json)).isEqualTo("\"ab\\\"c%25d\u00e9\"");
    }
}
