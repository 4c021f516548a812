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
}
